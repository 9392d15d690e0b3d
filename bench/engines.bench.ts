/**
 * Why the render engine is a port of mustache.java rather than mustache.js or handlebars: runs
 * the three on every render fixture of ../shared (Cosmos's own output) and every template of
 * the sample corpus (compared with this project's engine, which matches all fixtures), each
 * engine fed the same Java-like view of the context.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import Mustache from 'mustache';
import { loadRevision } from '../generator/model/revision.js';
import { cosmosResourceView, resourceModelFor } from '../generator/model/resource.js';
import { renderMarathonTemplate } from '../generator/render/cosmos.js';
import { extractDefaults, mergeAll } from '../generator/render/context.js';
import { isDcosVersion, renderEra, type RenderEra } from '../generator/render/eras.js';
import { JavaLambda, JavaMap, jsonToJava, type JavaValue } from '../generator/render/java/values.js';
import type { JsonObject, JsonValue } from '../generator/json/value.js';
import { CORPUS_PACKAGES_DIR, listRenderFixtures, readRenderFixture, sharedAvailable } from '../test/support/fixtures.js';
import { median, timeMs } from './stats.js';

export const name = 'template engines: mustache.java port vs mustache.js vs handlebars';

/** A Java List for mustache.js: still an array (sections iterate it) but prints like Java. */
class JsList extends Array<unknown> {
  override toString(): string {
    return `[${this.map((v) => javaText(v)).join(', ')}]`;
  }
}
class JsMap {
  constructor(entries: Map<string, unknown>) {
    for (const [k, v] of entries) Object.defineProperty(this, k, { value: v, enumerable: true });
  }
}
Object.defineProperty(JsMap.prototype, 'toString', {
  value(this: JsMap) {
    return `{${Object.entries(this).map(([k, v]) => `${k}=${javaText(v)}`).join(', ')}}`;
  },
});

function javaText(v: unknown): string {
  return v === null || v === undefined ? 'null' : String(v);
}

function toJs(v: JavaValue, context: JsonObject): unknown {
  if (v instanceof JavaMap) {
    const m = new Map<string, unknown>();
    for (const [k, val] of v.entries) m.set(k, toJs(val, context));
    return new JsMap(m);
  }
  if (Array.isArray(v)) return JsList.from(v.map((x) => toJs(x, context)));
  if (v instanceof JavaLambda) {
    return () => (text: string, render: (t: string) => string) => render(v.apply(text));
  }
  return v;
}

function contextOf(config: JsonValue | undefined, options: JsonObject | undefined, resource: JsonValue | undefined, era: RenderEra): JsonObject {
  const layers: JsonObject[] = [];
  if (config !== undefined) layers.push(extractDefaults(config, era));
  if (options !== undefined) layers.push(options);
  const merged = mergeAll(layers, era);
  return resource === undefined ? merged : mergeAll([merged, new Map([['resource', resource]])], era);
}

function viewOf(context: JsonObject, era: RenderEra): unknown {
  const converted = jsonToJava(context, era) as JavaMap;
  const root = new JavaMap(new Map(converted.entries));
  if (era.asJson) root.entries.set('asJson', new JavaLambda('asJson', (n) => (typeof context.get(n ?? '') === 'string' ? (context.get(n ?? '') as string) : 'null')));
  return toJs(root, context);
}

function mustacheJs(template: string, view: unknown): string {
  return Mustache.render(template, view, {}, { escape: (v: unknown) => javaText(v) });
}

function handlebars(template: string, view: unknown): string {
  return Handlebars.compile(template, { noEscape: true, strict: false })(view);
}

interface Case {
  label: string;
  template: string;
  view: unknown;
  expected: string | undefined;
}

export async function run(): Promise<void> {
  if (!sharedAvailable()) {
    console.log('skipped: ../shared is not present');
    return;
  }
  const cases: Case[] = [];
  for (const f of listRenderFixtures()) {
    const fx = readRenderFixture(f);
    const era = renderEra(fx.dcosVersion && isDcosVersion(fx.dcosVersion) ? fx.dcosVersion : '2.0');
    if (fx.expected.get('error_kind') === 'options_not_allowed') continue;
    const resource = fx.resource === undefined ? undefined : cosmosResourceView(fx.resource, fx.resourceModel);
    const expected = fx.expected.get('text');
    cases.push({ label: fx.name, template: fx.template, view: viewOf(contextOf(fx.config, fx.options, resource, era), era), expected: typeof expected === 'string' ? expected : undefined });
  }
  const fixtureCount = cases.length;
  const era = renderEra('2.0');
  const corpusInputs: Parameters<typeof renderMarathonTemplate>[0][] = [];
  for (const letter of fs.readdirSync(CORPUS_PACKAGES_DIR))
    for (const pkg of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter)))
      for (const rev of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter, pkg))) {
        const r = loadRevision(path.join(CORPUS_PACKAGES_DIR, letter, pkg, rev));
        if (!r.marathonTemplate) continue;
        const resource = r.resource === undefined ? undefined : cosmosResourceView(r.resource.value, resourceModelFor(r.packagingVersion));
        const ours = renderMarathonTemplate({ template: r.marathonTemplate.text, config: r.config?.value, options: undefined, resource }, era, { skipOptionsValidation: true });
        corpusInputs.push({ template: r.marathonTemplate.text, config: r.config?.value, options: undefined, resource });
        cases.push({ label: `${pkg}/${rev}`, template: r.marathonTemplate.text, view: viewOf(contextOf(r.config?.value, undefined, resource, era), era), expected: ours.ok ? ours.text : ours.text });
      }

  const engines: [string, (t: string, v: unknown) => string][] = [
    ['mustache.js 4.2 (Java-like view)', mustacheJs],
    ['handlebars 4.7 (noEscape)', handlebars],
  ];
  console.log(`cases: ${fixtureCount} fixtures with Cosmos's text, ${cases.length - fixtureCount} corpus templates (defaults)`);
  for (const [label, engine] of engines) {
    for (const [group, list] of [['fixtures', cases.slice(0, fixtureCount)], ['corpus', cases.slice(fixtureCount)]] as const) {
      let parseFailures = 0;
      let same = 0;
      let compared = 0;
      const differing: string[] = [];
      for (const c of list) {
        if (c.expected === undefined) continue;
        compared++;
        try {
          if (engine(c.template, c.view) === c.expected) same++;
          else differing.push(c.label);
        } catch {
          parseFailures++;
          differing.push(`${c.label} (error)`);
        }
      }
      console.log(`${label}, ${group}: ${same}/${compared} identical, ${parseFailures} failed to run${differing.length ? `; differing: ${differing.slice(0, 8).join(', ')}${differing.length > 8 ? ', ...' : ''}` : ''}`);
    }
  }
  const ms = (f: () => void) => median(Array.from({ length: 5 }, () => timeMs(f)));
  const sample = cases.slice(fixtureCount);
  const ourMs = ms(() => {
    for (const input of corpusInputs) renderMarathonTemplate(input, era, { skipOptionsValidation: true });
  });
  console.log(`this engine: ${corpusInputs.length} corpus revisions, defaults, context, compile, render and parse in ${ourMs.toFixed(1)} ms (median of 5)`);
  const mjMs = ms(() => {
    Mustache.clearCache();
    for (const c of sample) {
      try {
        mustacheJs(c.template, c.view);
      } catch {
        /* counted above */
      }
    }
  });
  console.log(`mustache.js: the same templates with prepared views, render only, in ${mjMs.toFixed(1)} ms (median of 5)`);
}

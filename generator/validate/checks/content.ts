/**
 * The checks that need config.json, resource.json and the template together, as Cosmos uses
 * them at install time: config.json compiles and its defaults satisfy it, the template's
 * names are declared, and the template renders with the defaults to a Marathon app that
 * Marathon accepts, on every DC/OS version the package claims. The newest version checked
 * gives errors; a version older than that which alone breaks gives an `older-dcos` warning.
 *
 * Everything here depends only on the three texts, the packaging version and the DC/OS
 * versions, so the findings are cached by content: copies of a revision cost a lookup.
 */
import { isJsonObject, toPlain, type JsonObject, type JsonValue } from '../../json/value.js';
import { cosmosResourceView, resourceModelFor } from '../../model/resource.js';
import { extractDefaults, mergeAll, universeEscapeConfig } from '../../render/context.js';
import { formatProblem, renderMarathonTemplate, type RenderFailure } from '../../render/cosmos.js';
import { compareDcosVersions, renderEra, type DcosVersion } from '../../render/eras.js';
import { compileConfigSchema, validateOptions, type OptionsProblem } from '../../render/options.js';
import { withRenderedLine } from '../../render/revision.js';
import { resourceSchemaKind, validateMarathonApp, type MarathonAppReport } from '../../schemas/index.js';
import { ContentCache, textId } from '../../cache.js';
import { finding, jsonPlace, type Finding, type Place } from '../findings.js';
import type { RuleId } from '../rules.js';
import { configChecker } from './configSchema.js';
import { checkJsonFile } from './files.js';
import { checkResources } from './resources.js';
import { fileSchemaFindings } from './schemas.js';
import { exampleOptions, type Examples } from './examples.js';
import { checkUndeclared, compileForCheck, DeclaredNames, templatePlaceOf } from './template.js';

const TEMPLATE = 'marathon.json.mustache';

/** A JSON file as the content checks need it: its text (for positions) and parsed value. */
export interface ContentJson {
  text: string;
  /** Undefined when the text is not JSON. */
  value: JsonValue | undefined;
}

/** What package.json tells the content checks; undefined when it is not usable. */
export interface PackageFacts {
  minDcosReleaseVersion: string | undefined;
  hasCommand: boolean;
}

/**
 * The content of a revision as texts: config.json and resource.json are parsed and checked
 * as files here too, so that a worker thread does it once, not the main thread and the worker.
 */
export interface ContentInput {
  config: { text: string } | undefined;
  resource: { text: string } | undefined;
  template: { text: string } | undefined;
  packagingVersion: string | undefined;
  /** DC/OS versions to render for, oldest first; the last one is the newest checked. */
  dcosVersions: readonly DcosVersion[];
  /** Undefined: package.json is not usable, only the files themselves are checked. */
  package: PackageFacts | undefined;
}

/** What the render checks take: the files parsed. */
export interface ParsedContent {
  config: ContentJson | undefined;
  resource: ContentJson | undefined;
  template: { text: string } | undefined;
  packagingVersion: string | undefined;
  dcosVersions: readonly DcosVersion[];
}

const cache = new ContentCache<Finding[]>(512);

/** What identifies the findings of an input: equal keys, equal findings. */
export function contentKey(input: ContentInput): string {
  const id = (f: { text: string } | undefined): string => (f === undefined ? '-' : String(textId(f.text)));
  const pkg = input.package === undefined ? '!' : `${input.package.minDcosReleaseVersion ?? '-'}/${input.package.hasCommand ? 'c' : ''}`;
  return `${id(input.config)}/${id(input.resource)}/${id(input.template)}/${input.packagingVersion ?? '-'}/${input.dcosVersions.join(',')}/${pkg}`;
}

export function checkContent(input: ContentInput, key = contentKey(input)): Finding[] {
  return cache.get(key, () => contentFindings(input));
}

export function contentCacheStats(): { hits: number; misses: number } {
  return { hits: cache.hits, misses: cache.misses };
}

function contentFindings(input: ContentInput): Finding[] {
  const out: Finding[] = [];
  const parse = (file: 'config.json' | 'resource.json', f: { text: string } | undefined): ContentJson | undefined => {
    if (f === undefined) return undefined;
    const report = checkJsonFile(file, f.text);
    out.push(...report.findings);
    return { text: f.text, value: report.value };
  };
  const config = parse('config.json', input.config);
  const resource = parse('resource.json', input.resource);
  if (config?.value !== undefined) out.push(...fileSchemaFindings('config', 'config.json', config.text, config.value));
  if (resource?.value !== undefined) out.push(...fileSchemaFindings(resourceSchemaKind(input.packagingVersion), 'resource.json', resource.text, resource.value));
  if (input.package === undefined) return out;
  if (resource?.value !== undefined) out.push(...checkResources(resource, input.package));
  out.push(...analyzeContent({ config, resource, template: input.template, packagingVersion: input.packagingVersion, dcosVersions: input.dcosVersions }));
  return out;
}

/** Marathon's verdicts per rendered text: eras and revisions often render the same app. */
const appReports = new ContentCache<MarathonAppReport>(1024);

/**
 * ajv's deep equality (enum, uniqueItems) calls an object's own `toString` or `valueOf`
 * member, and JSON can hold such keys: a validator that throws gives `fallback` instead.
 */
function ajvGuard<T>(run: () => T, fallback: T | ((message: string) => T)): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return typeof fallback === 'function' ? (fallback as (message: string) => T)(e.message) : fallback;
  }
}

/** One DC/OS version's outcome, to compare the newest with the older ones. */
interface EraOutcome {
  version: DcosVersion;
  /** Findings as they would be reported for the newest version. */
  findings: Finding[];
}

export function analyzeContent(input: ParsedContent): Finding[] {
  const out: Finding[] = [];
  const { config, resource, template } = input;
  // A file that is not JSON has its own finding; what depends on it cannot be checked.
  if (config !== undefined && config.value === undefined) return out;
  const configValue = config?.value;

  // The interpreter reads only schemas ajv compiles, and the quick validator compiles exactly
  // when the render engine's does; the engine's own message is the one reported.
  let quick: ((data: unknown) => boolean) | undefined;
  if (config !== undefined && isJsonObject(configValue)) {
    const q = configChecker(config.text, configValue);
    const validate = q instanceof Error ? compileConfigSchema(configValue) : q;
    if (validate instanceof Error) {
      out.push(finding('config-compile', 'config.json', `config.json is not a usable JSON Schema: ${validate.message}`, { pointer: '', line: 1, column: 1 }));
    } else {
      quick = q instanceof Error ? (data) => validate(data) : q;
    }
  }

  const versions = input.dcosVersions;
  const newest = versions[versions.length - 1];
  if (newest === undefined) return out;

  const defaults = extractDefaults(configValue ?? null, renderEra('2.0'));
  const examples = exampleOptions(configValue, defaults);
  const usable = template !== undefined && (resource === undefined || resource.value !== undefined);
  const compiledTemplate = template === undefined ? undefined : compileForCheck(template.text);
  if (compiledTemplate !== undefined && !compiledTemplate.ok) out.push(compiledTemplate.finding);
  const resourceView = resource?.value === undefined ? undefined : cosmosResourceView(resource.value, resourceModelFor(input.packagingVersion));

  if (usable && compiledTemplate?.ok === true) {
    const extra = versions.some((v) => renderEra(v).asJson) ? ['asJson'] : [];
    out.push(...checkUndeclared(compiledTemplate.nodes, new DeclaredNames(configValue, resourceView, extra), template.text));
  }

  // A package that claims DC/OS 1.10 or older must use the deprecated container.docker forms:
  // the Marathon of those releases knows no other, so they are not worth a warning.
  const claimsLegacyMarathon = versions[0] !== undefined && compareDcosVersions(versions[0], '1.10') <= 0;
  const outcomes: EraOutcome[] = versions.map((version) => {
    const era = renderEra(version);
    const findings: Finding[] = [];
    if (config !== undefined && quick !== undefined && isJsonObject(configValue)) {
      const eraConfig = era.universeEscapesConfigStrings ? escapedConfig(config.text, configValue) : configValue;
      const merged = mergeAll([extractDefaults(eraConfig, era), examples.options], era);
      // The escaping touches only `description` and `default`, which do not take part in
      // validation: the original's compiled schema judges the escaped defaults the same.
      const check = quick;
      if (merged.size > 0 && !ajvGuard(() => check(toPlain(merged)), false)) {
        const problems = ajvGuard(() => validateOptions(configValue, merged), (message) => [{ pointer: '', schemaPointer: '', message: `cannot be checked: ${message}` }]);
        for (const p of problems) {
          if (p.message === 'is required' || underExample(p.pointer, examples)) continue;
          findings.push(defaultsFinding(config, p));
        }
      }
    }
    if (!usable || compiledTemplate?.ok !== true) return { version, findings };
    const result = renderMarathonTemplate(
      { template: compiledTemplate.nodes, config: configValue, options: examples.options.size > 0 ? examples.options : undefined, resource: resourceView },
      era,
      { skipOptionsValidation: true },
    );
    if (!result.ok) {
      findings.push(renderFinding(result, template.text, examples));
      return { version, findings };
    }
    const app = result.app;
    const report = appReports.get(result.text, () =>
      ajvGuard(
        () => validateMarathonApp(app, { nullAsAbsent: true }),
        (message) => ({ errors: [{ pointer: '', schemaPointer: '', keyword: 'error', message: `the app cannot be checked against Marathon's schema: ${message}` }], warnings: [] }),
      ),
    );
    const note = exampleNote(examples);
    for (const e of report.errors) findings.push(finding('marathon-schema', TEMPLATE, `in the app rendered with the defaults${note}, ${e.message}`, templatePlaceOf(template.text, e.pointer)));
    if (version === newest) {
      for (const w of report.warnings) {
        if (w.keyword === 'deprecated' && claimsLegacyMarathon && LEGACY_FORMS.has(w.pointer)) continue;
        findings.push(finding(warningRule(w.keyword), TEMPLATE, `in the rendered app, ${w.message}`, templatePlaceOf(template.text, w.pointer)));
      }
    }
    return { version, findings };
  });

  const newestOutcome = outcomes[outcomes.length - 1] as EraOutcome;
  out.push(...newestOutcome.findings);
  const seen = new Set(newestOutcome.findings.map((f) => f.message));
  const older = new Map<string, { finding: Finding; versions: DcosVersion[] }>();
  for (const o of outcomes.slice(0, -1)) {
    for (const f of o.findings) {
      if (seen.has(f.message)) continue;
      const entry = older.get(f.message);
      if (entry === undefined) older.set(f.message, { finding: f, versions: [o.version] });
      else entry.versions.push(o.version);
    }
  }
  for (const { finding: f, versions: vs } of older.values()) {
    out.push({ ...f, rule: 'older-dcos', message: `breaks on DC/OS ${joinVersions(vs)}: ${f.message}` });
  }
  return out;
}

/** The config as the Universe served it to DC/OS 1.9 (unchanged unless a string holds a quote). */
function escapedConfig(text: string, config: JsonObject): JsonValue {
  if (!text.includes('\\"') && !/\\u0022/i.test(text)) return config;
  return universeEscapeConfig(config);
}

function underExample(pointer: string, examples: Examples): boolean {
  const dotted = pointer.split('/').slice(1).join('.');
  return examples.paths.some((p) => dotted === p || dotted.startsWith(`${p}.`));
}

function defaultsFinding(config: ContentJson, p: OptionsProblem): Finding {
  return finding('config-defaults', 'config.json', `the defaults do not satisfy config.json: ${formatProblem(p)}; Cosmos refuses to install with default options`, jsonPlace(config.text, p.schemaPointer));
}

function exampleNote(examples: Examples): string {
  if (examples.paths.length === 0) return '';
  return ` and example values for ${examples.paths.join(', ')}`;
}

function renderFinding(failure: RenderFailure, templateText: string, examples: Examples): Finding {
  const note = examples.paths.length === 0 ? '' : ` (rendered with example values for the required options without default: ${examples.paths.join(', ')})`;
  let place: Place = {};
  const message = withRenderedLine(failure);
  if (failure.source === 'template') {
    place = { line: failure.line ?? null, column: failure.column ?? null };
  } else if (failure.pointer !== undefined) {
    place = templatePlaceOf(templateText, failure.pointer);
  }
  return finding('template-render', TEMPLATE, message + note, place);
}

/** Deprecated members that DC/OS 1.8 to 1.10 still need (see claimsLegacyMarathon). */
const LEGACY_FORMS = new Set(['/container/docker/network', '/container/docker/portMappings']);

function warningRule(keyword: string): RuleId {
  if (keyword === 'null') return 'marathon-null';
  if (keyword === 'deprecated') return 'marathon-deprecated';
  return 'marathon-unknown-field';
}

function joinVersions(vs: readonly string[]): string {
  return vs.length <= 1 ? (vs[0] ?? '') : `${vs.slice(0, -1).join(', ')} and ${vs[vs.length - 1] as string}`;
}

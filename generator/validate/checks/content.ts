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
import { isJsonObject, type JsonObject, type JsonValue } from '../../json/value.js';
import { cosmosResourceView, resourceModelFor } from '../../model/resource.js';
import { extractDefaults, mergeAll, universeEscapeConfig } from '../../render/context.js';
import { formatProblem, renderMarathonTemplate, type RenderFailure } from '../../render/cosmos.js';
import { renderEra, type DcosVersion } from '../../render/eras.js';
import { compileConfigSchema, validateOptions, type OptionsProblem } from '../../render/options.js';
import { validateMarathonApp, type MarathonAppReport } from '../../schemas/index.js';
import { ContentCache } from '../cache.js';
import { finding, jsonPlace, type Finding, type Place } from '../findings.js';
import type { LoadedJsonFile, LoadedTemplate } from '../load.js';
import type { RuleId } from '../rules.js';
import { exampleOptions, type Examples } from './examples.js';
import { checkUndeclared, compileForCheck, DeclaredNames, templatePlaceOf } from './template.js';

const TEMPLATE = 'marathon.json.mustache';

export interface ContentInput {
  config: LoadedJsonFile | undefined;
  resource: LoadedJsonFile | undefined;
  template: LoadedTemplate | undefined;
  packagingVersion: string | undefined;
  /** DC/OS versions to render for, oldest first; the last one is the newest checked. */
  dcosVersions: readonly DcosVersion[];
}

const cache = new ContentCache<Finding[]>(512);

export function checkContent(input: ContentInput): Finding[] {
  const key = [input.config?.text, input.resource?.text, input.template?.text, resourceModelFor(input.packagingVersion), input.dcosVersions.join(',')]
    .map((s) => (s === undefined ? '-' : `${s.length}:${s}`))
    .join('\0');
  return cache.get(key, () => analyzeContent(input));
}

export function contentCacheStats(): { hits: number; misses: number } {
  return { hits: cache.hits, misses: cache.misses };
}

/** One DC/OS version's outcome, to compare the newest with the older ones. */
interface EraOutcome {
  version: DcosVersion;
  /** Findings as they would be reported for the newest version. */
  findings: Finding[];
}

export function analyzeContent(input: ContentInput): Finding[] {
  const out: Finding[] = [];
  const { config, resource, template } = input;
  // A file that is not JSON has its own finding; what depends on it cannot be checked.
  if (config !== undefined && config.value === undefined) return out;
  const configValue = config?.value;

  let compiled = true;
  if (config !== undefined && isJsonObject(configValue)) {
    const validate = compileConfigSchema(configValue);
    if (validate instanceof Error) {
      compiled = false;
      out.push(finding('config-compile', 'config.json', `config.json is not a usable JSON Schema: ${validate.message}`, { pointer: '', line: 1, column: 1 }));
    }
  } else if (config !== undefined) {
    compiled = false;
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

  const apps = new Map<string, MarathonAppReport>();
  const outcomes: EraOutcome[] = versions.map((version) => {
    const era = renderEra(version);
    const findings: Finding[] = [];
    if (config !== undefined && compiled && isJsonObject(configValue)) {
      const eraConfig = era.universeEscapesConfigStrings ? escapedConfig(config.text, configValue) : configValue;
      const merged = mergeAll([extractDefaults(eraConfig, era), examples.options], era);
      if (merged.size > 0) {
        // The escaping touches only `description` and `default`, which do not take part in
        // validation: the original's compiled schema judges the escaped defaults the same.
        for (const p of validateOptions(configValue, merged)) {
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
    let report = apps.get(result.text);
    if (report === undefined) {
      report = validateMarathonApp(result.app, { nullAsAbsent: true });
      apps.set(result.text, report);
    }
    const note = exampleNote(examples);
    for (const e of report.errors) findings.push(finding('marathon-schema', TEMPLATE, `in the app rendered with the defaults${note}, ${e.message}`, templatePlaceOf(template.text, e.pointer)));
    if (version === newest) {
      for (const w of report.warnings) findings.push(finding(warningRule(w.keyword), TEMPLATE, `in the rendered app, ${w.message}`, templatePlaceOf(template.text, w.pointer)));
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

function defaultsFinding(config: LoadedJsonFile, p: OptionsProblem): Finding {
  return finding('config-defaults', 'config.json', `the defaults do not satisfy config.json: ${formatProblem(p)}; Cosmos refuses to install with default options`, jsonPlace(config.text, p.schemaPointer));
}

function exampleNote(examples: Examples): string {
  if (examples.paths.length === 0) return '';
  return ` and example values for ${examples.paths.join(', ')}`;
}

function renderFinding(failure: RenderFailure, templateText: string, examples: Examples): Finding {
  const note = examples.paths.length === 0 ? '' : ` (rendered with example values for the required options without default: ${examples.paths.join(', ')})`;
  let place: Place = {};
  let message = failure.message;
  if (failure.source === 'template') {
    place = { line: failure.line ?? null, column: failure.column ?? null };
  } else if (failure.pointer !== undefined) {
    place = templatePlaceOf(templateText, failure.pointer);
  }
  if (failure.source === 'output' && failure.line !== undefined && failure.text !== undefined) {
    const lineText = failure.text.split('\n')[failure.line - 1] ?? '';
    message += ` (rendered line ${failure.line}, column ${failure.column ?? 1}: ${JSON.stringify(excerpt(lineText, (failure.column ?? 1) - 1))})`;
  }
  return finding('template-render', TEMPLATE, message + note, place);
}

function excerpt(line: string, at: number): string {
  const start = Math.max(0, at - 40);
  return (start > 0 ? '...' : '') + line.slice(start, at + 40).trim() + (at + 40 < line.length ? '...' : '');
}

function warningRule(keyword: string): RuleId {
  if (keyword === 'null') return 'marathon-null';
  if (keyword === 'deprecated') return 'marathon-deprecated';
  return 'marathon-unknown-field';
}

function joinVersions(vs: readonly string[]): string {
  return vs.length <= 1 ? (vs[0] ?? '') : `${vs.slice(0, -1).join(', ')} and ${vs[vs.length - 1] as string}`;
}

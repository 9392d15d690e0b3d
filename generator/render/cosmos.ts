import { JsonSyntaxError, parseJson } from '../json/parse.js';
import { isJsonObject, jsonTypeOf, type JsonObject, type JsonValue } from '../json/value.js';
import { joinPointer } from '../json/pointer.js';
import { extractDefaults, mergeAll, universeEscapeConfig } from './context.js';
import type { RenderEra } from './eras.js';
import { JavaLambda, JavaMap, jsonToJava, type JavaValue } from './java/values.js';
import { TemplateRenderError } from './java/reflection.js';
import { scalaMapPrintOrder } from './java/mapOrder.js';
import { TemplateCompileError, type TemplateNode } from './mustache/ast.js';
import { executeTemplate } from './mustache/execute.js';
import { compileTemplate } from './mustache/parse.js';
import { validateOptions, type OptionsProblem } from './options.js';

/** Why Cosmos would refuse to render; the names follow ../shared/fixtures/render. */
export type RenderFailureKind =
  | 'options_not_allowed'
  | 'options_invalid'
  | 'template_compile_error'
  | 'render_error'
  | 'json_parse_error'
  | 'not_json_object'
  | 'labels_error'
  | 'template_missing'
  | 'not_available';

/** Where a failure points: the template, the rendered text, or the options. */
export type RenderFailureSource = 'template' | 'output' | 'options';

export interface RenderFailure {
  ok: false;
  kind: RenderFailureKind;
  message: string;
  source: RenderFailureSource;
  line?: number;
  column?: number;
  /** Pointer into the options (options problems) or the rendered app (labels). */
  pointer?: string;
  problems?: OptionsProblem[];
  /** The text the template engine wrote, whenever rendering ran. */
  text?: string;
  context?: JsonObject;
}

export interface RenderSuccess {
  ok: true;
  app: JsonObject;
  text: string;
  context: JsonObject;
}

export type RenderResult = RenderSuccess | RenderFailure;

/** The parts of a package revision that Cosmos's renderer reads, already decoded. */
export interface TemplateInputs {
  template: string | readonly TemplateNode[];
  /** config.json, or undefined when the package has none. */
  config: JsonValue | undefined;
  /** The user's options, or undefined when none were given. */
  options: JsonObject | undefined;
  /** resource.json as Cosmos's model gives it, or undefined when the package has none. */
  resource: JsonValue | undefined;
}

export interface TemplateRenderSettings {
  /** Skip the JSON Schema check of the merged options (to look at a render Cosmos would refuse). */
  skipOptionsValidation?: boolean;
}

/**
 * Cosmos's PackageDefinitionRenderer up to the rendered app, before it adds its own labels:
 * defaults, merge, options check, mustache.java with Cosmos's value conversion, JSON object check,
 * labels check; each step as the era's Cosmos did it.
 */
export function renderMarathonTemplate(inputs: TemplateInputs, era: RenderEra, settings: TemplateRenderSettings = {}): RenderResult {
  const config = inputs.config === undefined ? undefined : era.universeEscapesConfigStrings ? universeEscapeConfig(inputs.config) : inputs.config;
  const layers: JsonObject[] = [];
  if (config !== undefined) layers.push(extractDefaults(config, era));
  if (inputs.options !== undefined) layers.push(inputs.options);
  const defaultsAndOptions = mergeAll(layers, era);

  if (defaultsAndOptions.size > 0) {
    if (config === undefined) {
      return fail('options_not_allowed', 'options', 'the package has no config.json, so it takes no options');
    }
    if (!settings.skipOptionsValidation) {
      const problems = validateOptions(config, defaultsAndOptions);
      if (problems.length > 0) {
        const first = problems[0] as OptionsProblem;
        const f = fail('options_invalid', 'options', `options do not match config.json: ${problems.map(formatProblem).join('; ')}`);
        return { ...f, pointer: first.pointer, problems };
      }
    }
  }

  const context = inputs.resource === undefined ? defaultsAndOptions : mergeAll([defaultsAndOptions, new Map([['resource', inputs.resource]])], era);

  let nodes: readonly TemplateNode[];
  try {
    nodes = typeof inputs.template === 'string' ? compileTemplate(inputs.template) : inputs.template;
  } catch (e) {
    if (e instanceof TemplateCompileError) {
      return { ...fail('template_compile_error', 'template', e.message), line: e.line, column: e.column, context };
    }
    throw e;
  }

  let text: string;
  try {
    text = executeTemplate(nodes, templateRoot(context, era), { htmlEscape: era.htmlEscape, dottedNamesTryOuterScopes: era.dottedNamesTryOuterScopes });
  } catch (e) {
    if (e instanceof TemplateRenderError) {
      const f = fail('render_error', 'template', e.message);
      return e.line === null ? { ...f, context } : { ...f, line: e.line, context };
    }
    throw e;
  }

  let app: JsonValue;
  try {
    app = parseJson(text).value;
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return {
        ...fail('json_parse_error', 'output', `the rendered template is not JSON: ${e.message}`),
        line: e.position.line,
        column: e.position.column,
        text,
        context,
      };
    }
    throw e;
  }
  if (!isJsonObject(app)) {
    return { ...fail('not_json_object', 'output', 'the rendered template must be a JSON object'), text, context };
  }
  const labelsError = checkLabels(app, era);
  if (labelsError !== undefined) return { ...fail('labels_error', 'output', labelsError.message), pointer: labelsError.pointer, text, context };
  return { ok: true, app, text, context };
}

function fail(kind: RenderFailureKind, source: RenderFailureSource, message: string): RenderFailure {
  return { ok: false, kind, source, message };
}

export function formatProblem(p: OptionsProblem): string {
  return `${p.pointer === '' ? '(root)' : p.pointer} ${p.message}`;
}

/** The Java Map mustache.java renders against, with the `asJson` lambda of Cosmos 0.6.3. */
function templateRoot(context: JsonObject, era: RenderEra): JavaValue {
  const root = jsonToJava(context, era);
  if (!era.asJson || !(root instanceof JavaMap)) return root;
  const asJson = new JavaLambda('asJson', (name) => {
    const v = name === null ? undefined : context.get(name);
    return typeof v === 'string' ? v : 'null';
  });
  const keys = [...root.entries.keys()].filter((k) => k !== 'asJson');
  keys.push('asJson');
  const entries = new Map<string, JavaValue>();
  for (const k of scalaMapPrintOrder(keys, era.smallObjectsInHashOrder)) {
    entries.set(k, k === 'asJson' ? asJson : (root.entries.get(k) as JavaValue));
  }
  return new JavaMap(entries);
}

/** Marathon needs `labels` to map strings to strings; Cosmos checks before submitting. */
function checkLabels(app: JsonObject, era: RenderEra): { message: string; pointer: string } | undefined {
  if (!app.has('labels')) return undefined;
  const labels = app.get('labels') as JsonValue;
  if (labels === null) {
    return era.nullLabelsRefused ? { message: '"labels" is null; DC/OS 1.9 needs an object of strings', pointer: '/labels' } : undefined;
  }
  if (!isJsonObject(labels)) return { message: '"labels" must be an object mapping strings to strings', pointer: '/labels' };
  for (const [k, v] of labels) {
    if (typeof v !== 'string') {
      return { message: `label "${k}" must be a string, not ${jsonTypeOf(v)}`, pointer: joinPointer('/labels', k) };
    }
  }
  return undefined;
}

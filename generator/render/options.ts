import type { ErrorObject, ValidateFunction } from 'ajv';
import { isJsonObject, toPlain, type JsonObject, type JsonValue, type PlainJson } from '../json/value.js';
import { joinPointer } from '../json/pointer.js';
import { createAjv, type AjvInstance } from '../schemas/registry.js';
import { stringifyJson } from '../json/stringify.js';

export interface OptionsProblem {
  /** Pointer into the options object (the property that is wrong). */
  pointer: string;
  /** Pointer into config.json to the keyword that refused it. */
  schemaPointer: string;
  message: string;
}

/**
 * Cosmos validates the merged defaults and options with java-json-tools (draft-04, ECMA 262
 * regular expressions, draft-04 formats checked, unknown keywords and formats ignored). The
 * project's ajv (generator/schemas, createAjv) is set up to accept the same schemas: no strict
 * mode, no meta-schema check, regular expressions without the `u` flag, a uniqueItems that
 * cannot crash; here `id`s are also dropped (real config.json files reuse the same `id` in
 * several places, which java-json-tools tolerates and ajv would refuse).
 */
let ajvInstance: AjvInstance | undefined;

/** Created on first use: ajv takes a fifth of a second to load, and most commands never need it. */
function ajv(): AjvInstance {
  ajvInstance ??= createAjv({ verbose: false, addUsedSchema: false });
  return ajvInstance;
}

interface CompiledConfig {
  validate: ValidateFunction | Error;
  /** Problems per options document already checked (by its JSON text). */
  results: Map<string, OptionsProblem[]>;
}

/** By parsed document, and by JSON text: equal config.json files compile once per process. */
const byDocument = new WeakMap<object, CompiledConfig>();
const byText = new Map<string, CompiledConfig>();
const MAX_CACHED_RESULTS = 64;

function compiledConfig(config: JsonValue): CompiledConfig {
  const key = typeof config === 'object' && config !== null ? config : undefined;
  const hit = key && byDocument.get(key);
  if (hit) return hit;
  const text = stringifyJson(config);
  let entry = byText.get(text);
  if (entry === undefined) {
    let validate: ValidateFunction | Error;
    try {
      const schema = schemaForAjv(toPlain(config));
      validate = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? ajv().compile(schema) : new Error('config.json must hold a JSON object');
    } catch (e) {
      validate = e instanceof Error ? e : new Error(String(e));
    }
    entry = { validate, results: new Map() };
    if (byText.size >= 4096) byText.clear();
    byText.set(text, entry);
  }
  if (key) byDocument.set(key, entry);
  return entry;
}

/** Compiles a config.json (cached). Returns the compile error, if any. */
export function compileConfigSchema(config: JsonValue): ValidateFunction | Error {
  return compiledConfig(config).validate;
}

export function validateOptions(config: JsonValue, options: JsonObject): OptionsProblem[] {
  const entry = compiledConfig(config);
  const validate = entry.validate;
  if (validate instanceof Error) {
    return [{ pointer: '', schemaPointer: '', message: `config.json is not a usable JSON Schema: ${validate.message}` }];
  }
  const text = stringifyJson(options);
  const known = entry.results.get(text);
  if (known) return known;
  const problems = validate(toPlain(options)) ? [] : (validate.errors ?? []).map(describeError);
  if (entry.results.size >= MAX_CACHED_RESULTS) entry.results.clear();
  entry.results.set(text, problems);
  return problems;
}

function describeError(e: ErrorObject): OptionsProblem {
  const params = e.params as Record<string, unknown>;
  let pointer = e.instancePath;
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
    pointer = joinPointer(pointer, params.missingProperty);
    message = 'is required';
  } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    pointer = joinPointer(pointer, params.additionalProperty);
    message = 'is not allowed (additionalProperties is false)';
  } else if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const schemaPointer = e.schemaPath.startsWith('#') ? decodeURIComponent(e.schemaPath.slice(1)) : '';
  return { pointer, schemaPointer, message };
}

const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'];
const SCHEMA_VALUES = ['additionalProperties', 'additionalItems', 'not', 'items'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'items'];

/** A copy of the schema without `id` keywords (in schema positions) and without `$schema`. */
export function schemaForAjv(schema: PlainJson, top = true): PlainJson {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out: { [k: string]: PlainJson } = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'id' && typeof v === 'string') continue;
    if (k === '$schema' && top) continue;
    if (SCHEMA_MAPS.includes(k) && isPlainObject(v)) {
      const m: { [k: string]: PlainJson } = {};
      for (const [name, sub] of Object.entries(v)) define(m, name, schemaForAjv(sub, false));
      define(out, k, m);
    } else if (SCHEMA_LISTS.includes(k) && Array.isArray(v)) {
      define(out, k, v.map((s) => schemaForAjv(s, false)));
    } else if (SCHEMA_VALUES.includes(k) && isPlainObject(v)) {
      define(out, k, schemaForAjv(v, false));
    } else if (k === 'dependencies' && isPlainObject(v)) {
      const m: { [k: string]: PlainJson } = {};
      for (const [name, sub] of Object.entries(v)) define(m, name, Array.isArray(sub) ? sub : schemaForAjv(sub, false));
      define(out, k, m);
    } else {
      define(out, k, v);
    }
  }
  return out;
}

function isPlainObject(v: PlainJson): v is { [k: string]: PlainJson } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Assigns a member; only `__proto__` needs defineProperty to stay an own data property. */
function define(o: { [k: string]: PlainJson }, k: string, v: PlainJson): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

export function hasConfigObject(config: JsonValue | undefined): config is JsonObject {
  return isJsonObject(config);
}

/**
 * A yes/no validator of install options for config.json, cheaper to compile than the
 * explaining one of the render engine (generator/render/options.ts): the same ajv set-up
 * (createAjv) and the same schema (ids in schema positions and the top `$schema` dropped), but
 * without `allErrors`, which makes the generated code much smaller. That does not change a
 * verdict; when the answer is "no", the render engine's validator explains it. A test
 * compares the verdicts of both. Used for the schemas the interpreter (interpret.ts) declines.
 */
import type { ValidateFunction } from 'ajv';
import { toPlain, type JsonValue, type PlainJson } from '../../json/value.js';
import { createAjv, type AjvInstance } from '../../schemas/registry.js';
import { ContentCache, textId } from '../cache.js';
import { interpretSchema, interpretedVerdict, type Interpreted } from './interpret.js';

let ajv: AjvInstance | undefined;
let compiledCount = 0;

function instance(): AjvInstance {
  // A fresh instance now and then: ajv keeps every schema it compiled.
  if (ajv === undefined || compiledCount >= 256) {
    ajv = createAjv({ allErrors: false, verbose: false, addUsedSchema: false, code: { optimize: false } });
    compiledCount = 0;
  }
  return ajv;
}

const validators = new ContentCache<ValidateFunction | Error>(256);
const interpreted = new ContentCache<Interpreted | undefined>(256);

/**
 * A yes/no check of options against a config.json: the interpreter when it reads the schema
 * (no compiling), else the quick ajv validator; or the error compiling the schema.
 */
export function configChecker(configText: string, config: JsonValue): ((data: unknown) => boolean) | Error {
  const byInterpreter = interpreted.get(String(textId(configText)), () => interpretSchema(schemaForAjv(toPlain(config))));
  if (byInterpreter === undefined) return quickConfigValidator(configText, config);
  return (data) => {
    const verdict = interpretedVerdict(byInterpreter, data);
    if (verdict !== undefined) return verdict;
    const quick = quickConfigValidator(configText, config);
    return quick instanceof Error ? false : quick(data);
  };
}

/** The validator of a config.json (cached by its text), or the error compiling it. */
export function quickConfigValidator(configText: string, config: JsonValue): ValidateFunction | Error {
  return validators.get(String(textId(configText)), () => {
    try {
      const schema = schemaForAjv(toPlain(config));
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return new Error('config.json must hold a JSON object');
      compiledCount++;
      return instance().compile(schema);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  });
}

const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'];
const SCHEMA_VALUES = ['additionalProperties', 'additionalItems', 'not', 'items'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'items'];

/** The schema as the render engine hands it to ajv: no `id` in schema positions, no top `$schema`. */
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

function define(o: { [k: string]: PlainJson }, k: string, v: PlainJson): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/**
 * A draft-04 JSON Schema interpreter for config.json, for the one question the validator asks
 * many times of many different schemas: do these options satisfy it? Compiling a schema with
 * ajv's code generator costs milliseconds, which a repository of all-distinct config.json
 * files pays for every revision; walking the schema costs microseconds.
 *
 * It follows ajv-draft-04 (as set up by the render engine: no strict mode, no `u` flag on
 * regular expressions, the formats of ajv-formats the project adds) keyword by keyword, with
 * the same JavaScript expressions where ajv's generated code has corner cases (a property is
 * present when `data[name] !== undefined`, multipleOf by `parseInt`, lengths in code points).
 * A schema using anything else (`$ref`, `const`, boolean schemas, malformed keyword values)
 * is not interpreted: `interpretSchema` returns undefined and ajv decides. Only a "valid"
 * answer is taken as final; "invalid" is confirmed and explained by ajv. A property test
 * compares both on random schemas and data.
 */
import { createRequire } from 'node:module';
import type { PlainJson } from '../../json/value.js';

type Schema = { [key: string]: PlainJson };
export type Interpreted = (data: unknown) => boolean;

const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
/** Keywords ajv-draft-04 enforces that the interpreter does not: such a schema goes to ajv. */
const UNSUPPORTED = new Set(['$ref', '$schema', 'id', 'const', 'nullable', 'if', 'then', 'else', 'propertyNames', 'contains', '$async', '$data']);
const COUNTS = ['maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'];
/** The formats the render engine's ajv checks (others are unknown to it, hence ignored). */
const FORMAT_NAMES = ['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'regex', 'uri'];

type FormatCheck = (s: string) => boolean;
let formats: Map<string, FormatCheck> | undefined;

function formatChecks(): Map<string, FormatCheck> {
  if (formats === undefined) {
    const require = createRequire(import.meta.url);
    const full = (require('ajv-formats/dist/formats') as { fullFormats: Record<string, unknown> }).fullFormats;
    formats = new Map();
    for (const name of FORMAT_NAMES) {
      const f = full[name];
      const def = typeof f === 'object' && f !== null && !(f instanceof RegExp) && 'validate' in f ? (f as { validate: unknown }).validate : f;
      if (def instanceof RegExp) formats.set(name, (s) => def.test(s));
      else if (typeof def === 'function') formats.set(name, (s) => Boolean((def as (x: string) => unknown)(s)));
    }
  }
  return formats;
}

/** A validator for the schema (already stripped of ids, as the render engine does), or undefined when it uses what is not interpreted. */
export function interpretSchema(schema: PlainJson): Interpreted | undefined {
  const patterns = new Map<string, RegExp>();
  if (!supported(schema, patterns, 0)) return undefined;
  const checks = formatChecks();
  return (data) => valid(schema as Schema, data, patterns, checks);
}

function isSchema(v: PlainJson | undefined): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: PlainJson | undefined): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function compilePattern(p: string, patterns: Map<string, RegExp>): boolean {
  if (patterns.has(p)) return true;
  try {
    patterns.set(p, new RegExp(p));
    return true;
  } catch {
    return false;
  }
}

function supported(schema: PlainJson, patterns: Map<string, RegExp>, depth: number): boolean {
  if (!isSchema(schema) || depth > 64) return false;
  const sub = (v: PlainJson | undefined): boolean => supported(v as PlainJson, patterns, depth + 1);
  // ajv leaves a member named __proto__ out of properties, patternProperties and
  // additionalProperties: such a schema goes to ajv.
  const schemaMap = (v: PlainJson | undefined): v is Schema => isSchema(v) && !Object.hasOwn(v, '__proto__') && Object.values(v).every(sub);
  const schemaList = (v: PlainJson | undefined): boolean => Array.isArray(v) && v.length > 0 && v.every(sub);
  for (const [k, v] of Object.entries(schema)) {
    if (UNSUPPORTED.has(k)) return false;
    switch (k) {
      case 'type':
        if (typeof v === 'string' ? !TYPES.has(v) : !Array.isArray(v) || v.length === 0 || !v.every((t) => typeof t === 'string' && TYPES.has(t))) return false;
        break;
      case 'enum':
        if (!Array.isArray(v) || v.length === 0) return false;
        break;
      case 'multipleOf':
        if (typeof v !== 'number' || !(v > 0)) return false;
        break;
      case 'maximum':
      case 'minimum':
        if (typeof v !== 'number') return false;
        break;
      case 'exclusiveMaximum':
      case 'exclusiveMinimum':
        if (typeof v !== 'boolean' || typeof schema[k === 'exclusiveMaximum' ? 'maximum' : 'minimum'] !== 'number') return false;
        break;
      case 'pattern':
        if (typeof v !== 'string' || !compilePattern(v, patterns)) return false;
        break;
      case 'uniqueItems':
        if (typeof v !== 'boolean') return false;
        break;
      case 'required':
        if (!Array.isArray(v) || !v.every((r) => typeof r === 'string')) return false;
        break;
      case 'properties':
      case 'definitions':
        if (!schemaMap(v)) return false;
        break;
      case 'patternProperties':
        if (!schemaMap(v) || !Object.keys(v).every((p) => compilePattern(p, patterns))) return false;
        break;
      case 'additionalProperties':
      case 'additionalItems':
        if (typeof v !== 'boolean' && !sub(v)) return false;
        break;
      case 'items':
        if (Array.isArray(v) ? !v.every(sub) : !sub(v)) return false;
        break;
      case 'dependencies':
        if (!isSchema(v) || Object.hasOwn(v, '__proto__') || !Object.values(v).every((d) => (Array.isArray(d) ? d.every((r) => typeof r === 'string') : sub(d)))) return false;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        if (!schemaList(v)) return false;
        break;
      case 'not':
        if (!sub(v)) return false;
        break;
      case 'format':
        if (typeof v !== 'string') return false;
        break;
      default:
        if (COUNTS.includes(k) && !isCount(v)) return false;
    }
  }
  return true;
}

function typeMatches(type: string, data: unknown): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'boolean':
      return typeof data === 'boolean';
    case 'string':
      return typeof data === 'string';
    case 'number':
      return typeof data === 'number';
    case 'integer':
      return typeof data === 'number' && !(data % 1) && !Number.isNaN(data);
    case 'array':
      return Array.isArray(data);
    default:
      return typeof data === 'object' && data !== null && !Array.isArray(data);
  }
}

/** ajv's ucs2length: code points, a lone surrogate counting as one. */
function codePoints(s: string): number {
  let length = 0;
  for (let pos = 0; pos < s.length; ) {
    length++;
    const c = s.charCodeAt(pos++);
    if (c >= 0xd800 && c <= 0xdbff && pos < s.length && (s.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
  }
  return length;
}

/** fast-deep-equal on JSON data, as ajv's enum and uniqueItems use it. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function valid(schema: Schema, data: unknown, patterns: Map<string, RegExp>, formatChecks: Map<string, FormatCheck>): boolean {
  const ok = (s: PlainJson | undefined, d: unknown): boolean => valid(s as Schema, d, patterns, formatChecks);
  const type = schema.type;
  if (type !== undefined && !(typeof type === 'string' ? typeMatches(type, data) : (type as string[]).some((t) => typeMatches(t, data)))) return false;
  const enumValues = schema.enum;
  if (Array.isArray(enumValues) && !enumValues.some((e) => equal(e, data))) return false;
  if (schema.allOf !== undefined && !(schema.allOf as PlainJson[]).every((s) => ok(s, data))) return false;
  if (schema.anyOf !== undefined && !(schema.anyOf as PlainJson[]).some((s) => ok(s, data))) return false;
  if (schema.oneOf !== undefined && (schema.oneOf as PlainJson[]).filter((s) => ok(s, data)).length !== 1) return false;
  if (schema.not !== undefined && ok(schema.not, data)) return false;

  if (typeof data === 'number') {
    const { maximum, minimum, multipleOf } = schema;
    if (typeof maximum === 'number' && (schema.exclusiveMaximum === true ? !(data < maximum) : !(data <= maximum))) return false;
    if (typeof minimum === 'number' && (schema.exclusiveMinimum === true ? !(data > minimum) : !(data >= minimum))) return false;
    if (typeof multipleOf === 'number') {
      const res = data / multipleOf;
      if (multipleOf === 0 || res !== parseInt(String(res))) return false;
    }
  } else if (typeof data === 'string') {
    const { maxLength, minLength, pattern, format } = schema;
    if (typeof maxLength === 'number' || typeof minLength === 'number') {
      const n = codePoints(data);
      if (typeof maxLength === 'number' && n > maxLength) return false;
      if (typeof minLength === 'number' && n < minLength) return false;
    }
    if (typeof pattern === 'string' && !(patterns.get(pattern) as RegExp).test(data)) return false;
    if (typeof format === 'string') {
      const check = formatChecks.get(format);
      if (check !== undefined && !check(data)) return false;
    }
  } else if (Array.isArray(data)) {
    const { maxItems, minItems, items, additionalItems } = schema;
    if (typeof maxItems === 'number' && data.length > maxItems) return false;
    if (typeof minItems === 'number' && data.length < minItems) return false;
    if (schema.uniqueItems === true) {
      for (let i = 0; i < data.length; i++) for (let j = i + 1; j < data.length; j++) if (equal(data[i], data[j])) return false;
    }
    if (Array.isArray(items)) {
      for (let i = 0; i < data.length && i < items.length; i++) if (!ok(items[i], data[i])) return false;
      if (additionalItems === false && data.length > items.length) return false;
      if (isSchema(additionalItems)) for (let i = items.length; i < data.length; i++) if (!ok(additionalItems, data[i])) return false;
    } else if (isSchema(items)) {
      for (const item of data) if (!ok(items, item)) return false;
    }
  } else if (typeof data === 'object' && data !== null) {
    const obj = data as Record<string, unknown>;
    const { maxProperties, minProperties, required, properties, patternProperties, additionalProperties, dependencies } = schema;
    if (typeof maxProperties === 'number' || typeof minProperties === 'number') {
      const n = Object.keys(obj).length;
      if (typeof maxProperties === 'number' && n > maxProperties) return false;
      if (typeof minProperties === 'number' && n < minProperties) return false;
    }
    // As ajv's generated code: present means `data[name] !== undefined` (inherited members too).
    if (Array.isArray(required) && !required.every((r) => obj[r as string] !== undefined)) return false;
    if (isSchema(properties)) {
      for (const [name, sub] of Object.entries(properties)) if (obj[name] !== undefined && !ok(sub, obj[name])) return false;
    }
    if (isSchema(dependencies)) {
      for (const [name, dep] of Object.entries(dependencies)) {
        if (obj[name] === undefined) continue;
        if (Array.isArray(dep) ? !dep.every((r) => obj[r as string] !== undefined) : !ok(dep, obj)) return false;
      }
    }
    const patternList = isSchema(patternProperties) ? Object.entries(patternProperties) : [];
    if (patternList.length > 0 || (additionalProperties !== undefined && additionalProperties !== true)) {
      for (const key in obj) {
        let matched = false;
        for (const [p, sub] of patternList) {
          if ((patterns.get(p) as RegExp).test(key)) {
            matched = true;
            if (!ok(sub, obj[key])) return false;
          }
        }
        if (additionalProperties === false || isSchema(additionalProperties)) {
          const declared = isSchema(properties) && Object.prototype.hasOwnProperty.call(properties, key);
          if (!declared && !matched) {
            if (additionalProperties === false) return false;
            if (!ok(additionalProperties, obj[key])) return false;
          }
        }
      }
    }
  }
  return true;
}

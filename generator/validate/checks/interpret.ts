/**
 * A draft-04 JSON Schema interpreter for config.json, for the one question the validator asks
 * many times of many different schemas: do these options satisfy it? Compiling a schema with
 * ajv's code generator costs milliseconds, which a repository of all-distinct config.json
 * files pays for every revision; walking the schema costs microseconds.
 *
 * It follows ajv-draft-04 (as set up by the render engine: no strict mode, no `u` flag on
 * regular expressions, the formats of ajv-formats the project adds) keyword by keyword, with
 * the same JavaScript expressions where ajv's generated code has corner cases (a property is
 * present when `data[name] !== undefined`, multipleOf by `parseInt`, lengths in code points,
 * `$ref` applied with the keywords beside it). A schema using anything else (ids, remote
 * `$ref`s, `const`, boolean schemas, malformed keyword values) is not interpreted: `interpretSchema` returns undefined and ajv decides. Only a "valid"
 * answer is taken as final; "invalid" is confirmed and explained by ajv. A property test
 * compares both on random schemas and data.
 */
import { createRequire } from 'node:module';
import type { PlainJson } from '../../json/value.js';

type Schema = { [key: string]: PlainJson };
export type Interpreted = (data: unknown) => boolean;

const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
/** Keywords ajv-draft-04 enforces that the interpreter does not: such a schema goes to ajv. */
const UNSUPPORTED = new Set(['id', '$id', 'const', 'nullable', 'if', 'then', 'else', 'propertyNames', 'contains', '$async', '$data']);
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
  if (!isSchema(schema)) return undefined;
  const context: Context = { root: schema, patterns: new Map(), formats: formatChecks(), refs: new Map(), built: new Map(), depth: 0 };
  if (!supported(schema, context, 0, new Set())) return undefined;
  const check = build(schema, context);
  return (data) => {
    context.depth = 0;
    return check(data);
  };
}

/** The interpreter's verdict, or undefined when it gives up (a schema recursing without end). */
export function interpretedVerdict(check: Interpreted, data: unknown): boolean | undefined {
  try {
    return check(data);
  } catch (e) {
    if (e instanceof TooDeep) return undefined;
    throw e;
  }
}

interface Context {
  root: Schema;
  patterns: Map<string, RegExp>;
  formats: Map<string, FormatCheck>;
  /** `$ref` values resolved to their schema. */
  refs: Map<string, Schema>;
  /** Each schema object built once (a `$ref` cycle reuses the one being built). */
  built: Map<Schema, Check>;
  /** `$ref`s followed on the current path: a schema recursing without end stops here. */
  depth: number;
}

type Check = (data: unknown) => boolean;

class TooDeep extends Error {}
const MAX_DEPTH = 512;

/** A local `$ref` (`#`, `#/definitions/x`) resolved in the root schema, as ajv reads the fragment. */
function resolveRef(ref: string, context: Context): Schema | undefined {
  const known = context.refs.get(ref);
  if (known !== undefined) return known;
  if (!ref.startsWith('#')) return undefined;
  let node: PlainJson | undefined = context.root;
  const fragment = ref.slice(1);
  if (fragment !== '') {
    if (!fragment.startsWith('/')) return undefined;
    for (const raw of fragment.slice(1).split('/')) {
      let token: string;
      try {
        token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      } catch {
        return undefined;
      }
      if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token)) node = node[Number(token)];
      else if (isSchema(node) && Object.hasOwn(node, token)) node = node[token];
      else return undefined;
    }
  }
  if (!isSchema(node)) return undefined;
  context.refs.set(ref, node);
  return node;
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

function supported(schema: PlainJson, context: Context, depth: number, seen: Set<Schema>): boolean {
  if (!isSchema(schema) || depth > 64) return false;
  if (seen.has(schema)) return true;
  seen.add(schema);
  const patterns = context.patterns;
  const sub = (v: PlainJson | undefined): boolean => supported(v as PlainJson, context, depth + 1, seen);
  // ajv leaves a member named __proto__ out of properties, patternProperties and
  // additionalProperties: such a schema goes to ajv.
  const schemaMap = (v: PlainJson | undefined): v is Schema => isSchema(v) && !Object.hasOwn(v, '__proto__') && Object.values(v).every(sub);
  const schemaList = (v: PlainJson | undefined): boolean => Array.isArray(v) && v.length > 0 && v.every(sub);
  for (const [k, v] of Object.entries(schema)) {
    if (UNSUPPORTED.has(k)) return false;
    switch (k) {
      case '$ref': {
        const target = typeof v === 'string' ? resolveRef(v, context) : undefined;
        if (target === undefined || !supported(target, context, depth + 1, seen)) return false;
        break;
      }
      case '$schema':
        // Read by ajv at the root only.
        if (schema !== context.root || typeof v !== 'string') return false;
        break;
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

const ALWAYS: Check = () => true;

/**
 * The schema as a tree of small checks, built once: each keyword decided up front (which
 * apply to which JSON type, the properties to visit, the patterns), so a check of data does
 * only the comparisons. Keywords apply as ajv applies them, only to data of their type.
 */
function build(schema: Schema, context: Context): Check {
  const known = context.built.get(schema);
  if (known !== undefined) return known;
  let self: Check = ALWAYS;
  // Registered before building the parts: a `$ref` back to this schema finds it.
  const indirect: Check = (d) => self(d);
  context.built.set(schema, indirect);
  const sub = (v: PlainJson | undefined): Check => build(v as Schema, context);
  const checks: Check[] = [];

  // As ajv (draft-04 set-up): the target of `$ref` and the keywords beside it all apply.
  if (typeof schema.$ref === 'string') {
    const target = sub(context.refs.get(schema.$ref));
    checks.push((d) => {
      if (++context.depth > MAX_DEPTH) throw new TooDeep();
      try {
        return target(d);
      } finally {
        context.depth--;
      }
    });
  }
  const type = schema.type;
  if (type !== undefined) {
    const types = typeof type === 'string' ? [type] : (type as string[]);
    checks.push(types.length === 1 ? (d) => typeMatches(types[0] as string, d) : (d) => types.some((t) => typeMatches(t, d)));
  }
  const enumValues = schema.enum;
  if (Array.isArray(enumValues)) checks.push((d) => enumValues.some((e) => equal(e, d)));
  if (Array.isArray(schema.allOf)) {
    const all = schema.allOf.map(sub);
    checks.push((d) => all.every((c) => c(d)));
  }
  if (Array.isArray(schema.anyOf)) {
    const any = schema.anyOf.map(sub);
    checks.push((d) => any.some((c) => c(d)));
  }
  if (Array.isArray(schema.oneOf)) {
    const one = schema.oneOf.map(sub);
    checks.push((d) => {
      let n = 0;
      for (const c of one) if (c(d) && ++n > 1) return false;
      return n === 1;
    });
  }
  if (schema.not !== undefined) {
    const not = sub(schema.not);
    checks.push((d) => !not(d));
  }
  const numberCheck = buildNumber(schema);
  const stringCheck = buildString(schema, context);
  const arrayCheck = buildArray(schema, sub);
  const objectCheck = buildObject(schema, context, sub);
  if (numberCheck || stringCheck || arrayCheck || objectCheck) {
    checks.push((d) => {
      if (typeof d === 'number') return numberCheck === undefined || numberCheck(d);
      if (typeof d === 'string') return stringCheck === undefined || stringCheck(d);
      if (Array.isArray(d)) return arrayCheck === undefined || arrayCheck(d);
      if (typeof d === 'object' && d !== null) return objectCheck === undefined || objectCheck(d as Record<string, unknown>);
      return true;
    });
  }
  self = checks.length === 0 ? ALWAYS : checks.length === 1 ? (checks[0] as Check) : (d) => checks.every((c) => c(d));
  return indirect;
}

function buildNumber(schema: Schema): ((d: number) => boolean) | undefined {
  const { maximum, minimum, multipleOf } = schema;
  const parts: ((d: number) => boolean)[] = [];
  if (typeof maximum === 'number') parts.push(schema.exclusiveMaximum === true ? (d) => d < maximum : (d) => d <= maximum);
  if (typeof minimum === 'number') parts.push(schema.exclusiveMinimum === true ? (d) => d > minimum : (d) => d >= minimum);
  if (typeof multipleOf === 'number') {
    parts.push((d) => {
      // ajv: invalid when `m === 0 || (res = d / m, res !== parseInt(res))`.
      const res = d / multipleOf;
      return !(multipleOf === 0 || res !== parseInt(String(res)));
    });
  }
  return parts.length === 0 ? undefined : (d) => parts.every((p) => p(d));
}

function buildString(schema: Schema, context: Context): ((d: string) => boolean) | undefined {
  const { maxLength, minLength, pattern, format } = schema;
  const parts: ((d: string) => boolean)[] = [];
  if (typeof maxLength === 'number' || typeof minLength === 'number') {
    parts.push((d) => {
      const n = codePoints(d);
      return !(typeof maxLength === 'number' && n > maxLength) && !(typeof minLength === 'number' && n < minLength);
    });
  }
  if (typeof pattern === 'string') {
    const re = context.patterns.get(pattern) as RegExp;
    parts.push((d) => re.test(d));
  }
  if (typeof format === 'string') {
    const check = context.formats.get(format);
    if (check !== undefined) parts.push(check);
  }
  return parts.length === 0 ? undefined : (d) => parts.every((p) => p(d));
}

function buildArray(schema: Schema, sub: (v: PlainJson | undefined) => Check): ((d: unknown[]) => boolean) | undefined {
  const { maxItems, minItems, items, additionalItems } = schema;
  const parts: ((d: unknown[]) => boolean)[] = [];
  if (typeof maxItems === 'number') parts.push((d) => d.length <= maxItems);
  if (typeof minItems === 'number') parts.push((d) => d.length >= minItems);
  if (schema.uniqueItems === true) {
    parts.push((d) => {
      for (let i = 0; i < d.length; i++) for (let j = i + 1; j < d.length; j++) if (equal(d[i], d[j])) return false;
      return true;
    });
  }
  if (Array.isArray(items)) {
    const tuple = items.map(sub);
    parts.push((d) => {
      for (let i = 0; i < d.length && i < tuple.length; i++) if (!(tuple[i] as Check)(d[i])) return false;
      return true;
    });
    if (additionalItems === false) parts.push((d) => d.length <= tuple.length);
    else if (isSchema(additionalItems)) {
      const extra = sub(additionalItems);
      parts.push((d) => {
        for (let i = tuple.length; i < d.length; i++) if (!extra(d[i])) return false;
        return true;
      });
    }
  } else if (isSchema(items)) {
    const each = sub(items);
    parts.push((d) => d.every((x) => each(x)));
  }
  return parts.length === 0 ? undefined : (d) => parts.every((p) => p(d));
}

function buildObject(schema: Schema, context: Context, sub: (v: PlainJson | undefined) => Check): ((d: Record<string, unknown>) => boolean) | undefined {
  const { maxProperties, minProperties, required, properties, patternProperties, additionalProperties, dependencies } = schema;
  const parts: ((d: Record<string, unknown>) => boolean)[] = [];
  if (typeof maxProperties === 'number' || typeof minProperties === 'number') {
    parts.push((d) => {
      const n = Object.keys(d).length;
      return !(typeof maxProperties === 'number' && n > maxProperties) && !(typeof minProperties === 'number' && n < minProperties);
    });
  }
  // As ajv's generated code: present means `data[name] !== undefined` (inherited members too).
  if (Array.isArray(required) && required.length > 0) {
    const names = required as string[];
    parts.push((d) => names.every((r) => d[r] !== undefined));
  }
  const declared = isSchema(properties) ? Object.entries(properties).map(([name, s]) => [name, sub(s)] as const) : [];
  if (declared.length > 0) {
    parts.push((d) => {
      for (const [name, check] of declared) {
        const v = d[name];
        if (v !== undefined && !check(v)) return false;
      }
      return true;
    });
  }
  if (isSchema(dependencies)) {
    const deps = Object.entries(dependencies).map(([name, dep]) => [name, Array.isArray(dep) ? (dep as string[]) : sub(dep)] as const);
    parts.push((d) => {
      for (const [name, dep] of deps) {
        if (d[name] === undefined) continue;
        if (Array.isArray(dep) ? !dep.every((r) => d[r] !== undefined) : !(dep as Check)(d)) return false;
      }
      return true;
    });
  }
  const patternList = isSchema(patternProperties) ? Object.entries(patternProperties).map(([p, s]) => [context.patterns.get(p) as RegExp, sub(s)] as const) : [];
  const restricted = additionalProperties === false || isSchema(additionalProperties);
  if (patternList.length > 0 || restricted) {
    const names = new Set(isSchema(properties) ? Object.keys(properties) : []);
    const extra = isSchema(additionalProperties) ? sub(additionalProperties) : undefined;
    parts.push((d) => {
      for (const key in d) {
        let matched = false;
        for (const [re, check] of patternList) {
          if (re.test(key)) {
            matched = true;
            if (!check(d[key])) return false;
          }
        }
        if (restricted && !matched && !names.has(key)) {
          if (extra === undefined || !extra(d[key])) return false;
        }
      }
      return true;
    });
  }
  return parts.length === 0 ? undefined : (d) => parts.every((p) => p(d));
}

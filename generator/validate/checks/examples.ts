/**
 * Example values for required options without a default. Cosmos refuses a default install of
 * such a package (the user must give the option), which is legitimate; the validator renders
 * the template with an example value that satisfies the option's schema instead.
 */
import { JsonNumber, isJsonObject, type JsonObject, type JsonValue } from '../../json/value.js';

export interface Examples {
  /** The options to install with: only the example values, nested as config.json nests them. */
  options: JsonObject;
  /** Dotted paths of the options that got an example value. */
  paths: string[];
}

/**
 * Example options for every property that is required (by its parent's `required`), has no
 * default and is missing from `defaults`, going down into objects present in the defaults.
 */
export function exampleOptions(config: JsonValue | undefined, defaults: JsonObject): Examples {
  const paths: string[] = [];
  const options = isJsonObject(config) ? fill(config, defaults, '', paths, 0) : new Map<string, JsonValue>();
  return { options, paths };
}

const MAX_DEPTH = 16;

function fill(schema: JsonObject, present: JsonObject | undefined, prefix: string, paths: string[], depth: number): JsonObject {
  const out: JsonObject = new Map();
  if (depth > MAX_DEPTH) return out;
  const properties = schema.get('properties');
  const props = isJsonObject(properties) ? properties : undefined;
  const required = schema.get('required');
  const requiredNames = new Set(Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : []);
  const names = new Set<string>([...requiredNames, ...(props?.keys() ?? [])]);
  for (const name of names) {
    const sub = props?.get(name);
    const subSchema = isJsonObject(sub) ? sub : new Map<string, JsonValue>();
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const current = present?.get(name);
    if (current === undefined) {
      if (!requiredNames.has(name)) continue;
      out.set(name, example(subSchema, path, paths, depth + 1));
      paths.push(path);
    } else if (isJsonObject(current) && isJsonObject(subSchema.get('properties'))) {
      const nested = fill(subSchema, current, path, paths, depth + 1);
      if (nested.size > 0) out.set(name, nested);
    }
  }
  return out;
}

function example(schema: JsonObject, path: string, paths: string[], depth: number): JsonValue {
  if (schema.has('default')) return schema.get('default') as JsonValue;
  const enumValues = schema.get('enum');
  if (Array.isArray(enumValues) && enumValues.length > 0) return enumValues[0] as JsonValue;
  switch (schemaType(schema)) {
    case 'string':
      return exampleString(schema);
    case 'integer':
      return new JsonNumber(String(exampleNumber(schema, true)));
    case 'number':
      return JsonNumber.fromNumber(exampleNumber(schema, false));
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const min = numberOf(schema.get('minItems')) ?? 0;
      const items = schema.get('items');
      const item = isJsonObject(items) ? items : new Map<string, JsonValue>();
      return Array.from({ length: Math.min(min, 8) }, () => example(item, path, paths, depth + 1));
    }
    case 'object':
      return fill(schema, undefined, path, paths, depth);
    default:
      return isJsonObject(schema.get('properties')) ? fill(schema, undefined, path, paths, depth) : 'example';
  }
}

function schemaType(schema: JsonObject): string | undefined {
  const t = schema.get('type');
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === 'string' && x !== 'null') ?? (t.includes('null') ? 'null' : undefined);
  return undefined;
}

function numberOf(v: JsonValue | undefined): number | undefined {
  return v instanceof JsonNumber ? v.toNumber() : undefined;
}

function exampleNumber(schema: JsonObject, integer: boolean): number {
  const min = numberOf(schema.get('minimum'));
  const max = numberOf(schema.get('maximum'));
  const step = numberOf(schema.get('multipleOf'));
  let n = min ?? (max !== undefined && max < 1 ? max : 1);
  if (min !== undefined && schema.get('exclusiveMinimum') === true) n = integer ? Math.floor(min) + 1 : min + (step ?? 1);
  if (step !== undefined && step > 0) n = Math.ceil(n / step) * step;
  if (integer) n = Math.ceil(n);
  if (max !== undefined && n > max) n = integer ? Math.floor(max) : max;
  return n;
}

const FORMAT_EXAMPLES: Record<string, string> = {
  uri: 'https://example.com',
  email: 'user@example.com',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  'date-time': '2020-01-01T00:00:00Z',
  regex: '.*',
};

const STRING_CANDIDATES = [
  'example',
  'example.com',
  'https://example.com',
  '/example',
  'example-1',
  'Example',
  'EXAMPLE',
  'e',
  'E',
  '1',
  '0',
  '1.0.0',
  '192.0.2.1',
  '10.0.0.0/8',
  'user@example.com',
  'example_1',
  'a.b',
  '/',
  '*',
  'true',
  '',
];

function exampleString(schema: JsonObject): string {
  const minLength = numberOf(schema.get('minLength')) ?? 0;
  const maxLength = numberOf(schema.get('maxLength')) ?? Number.POSITIVE_INFINITY;
  const format = schema.get('format');
  const pattern = schema.get('pattern');
  let regex: RegExp | undefined;
  if (typeof pattern === 'string') {
    try {
      regex = new RegExp(pattern);
    } catch {
      regex = undefined;
    }
  }
  const fits = (s: string): boolean => s.length >= minLength && s.length <= maxLength && (regex === undefined || regex.test(s));
  const candidates = [...(typeof format === 'string' && FORMAT_EXAMPLES[format] !== undefined ? [FORMAT_EXAMPLES[format]] : []), ...STRING_CANDIDATES];
  for (const c of candidates) {
    for (const s of [c, c.padEnd(minLength, 'x')]) if (fits(s)) return s;
  }
  return 'example'.padEnd(minLength, 'x');
}

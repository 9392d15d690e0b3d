/**
 * A JSON value as DC/OS tools see it: object key order is kept (Cosmos prints small objects
 * in insertion order, the Universe build writes keys as read) and numbers keep their source
 * spelling, because Cosmos decides between integer and double from the digits, and a big
 * integer must survive with every digit.
 */
export type JsonValue = null | boolean | string | JsonNumber | JsonArray | JsonObject;
export type JsonArray = JsonValue[];
/** A Map, not a plain object: plain objects reorder integer-like keys and treat `__proto__` specially. */
export type JsonObject = Map<string, JsonValue>;

/** A JSON number with its exact source text (`1.0`, `1E+2`, `12345678901234567890123`). */
export class JsonNumber {
  constructor(readonly text: string) {}

  /** The nearest double; may lose digits of big integers. */
  toNumber(): number {
    return Number(this.text);
  }

  static fromNumber(n: number): JsonNumber {
    if (!Number.isFinite(n)) throw new RangeError(`not a JSON number: ${n}`);
    return new JsonNumber(Object.is(n, -0) ? '-0' : String(n));
  }

  toJSON(): number {
    return this.toNumber();
  }
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return v instanceof Map;
}

export function isJsonNumber(v: JsonValue | undefined): v is JsonNumber {
  return v instanceof JsonNumber;
}

export function jsonTypeOf(v: JsonValue): 'null' | 'boolean' | 'string' | 'number' | 'array' | 'object' {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v instanceof JsonNumber) return 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** Plain JavaScript data (what `JSON.parse` would give), for libraries such as ajv. */
export type PlainJson = null | boolean | number | string | PlainJson[] | { [key: string]: PlainJson };

export function toPlain(v: JsonValue): PlainJson {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.toNumber();
  if (Array.isArray(v)) return v.map(toPlain);
  const out: { [key: string]: PlainJson } = {};
  for (const [k, val] of v) {
    // Plain assignment keeps V8's fast objects; only "__proto__" needs defineProperty to stay
    // an own data property instead of setting the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: toPlain(val), enumerable: true, writable: true, configurable: true });
    else out[k] = toPlain(val);
  }
  return out;
}

/** From plain JavaScript data; bigint keeps every digit. */
export function fromPlain(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return JsonNumber.fromNumber(v);
  if (typeof v === 'bigint') return new JsonNumber(v.toString());
  if (v instanceof JsonNumber) return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v instanceof Map) {
    const m: JsonObject = new Map();
    for (const [k, val] of v) m.set(String(k), fromPlain(val));
    return m;
  }
  if (typeof v === 'object') {
    const m: JsonObject = new Map();
    for (const k of Object.keys(v)) m.set(k, fromPlain((v as Record<string, unknown>)[k]));
    return m;
  }
  throw new TypeError(`not representable as JSON: ${typeof v}`);
}

export function jsonObject(entries: Iterable<readonly [string, JsonValue]> = []): JsonObject {
  return new Map(entries);
}

/** Deep equality; numbers compare by value (`1.0` equals `1`, `1E+2` equals `100`). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a instanceof JsonNumber && b instanceof JsonNumber) return canonicalNumber(a.text) === canonicalNumber(b.text);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEquals(x, b[i] as JsonValue));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !jsonEquals(v, b.get(k) as JsonValue)) return false;
    }
    return true;
  }
  return false;
}

/**
 * The exact decimal value of a JSON number lexeme as `[-]digits e exponent` with no leading or
 * trailing zeros in the digits, so equal values give equal strings whatever their spelling.
 */
export function canonicalNumber(text: string): string {
  const d = decomposeNumber(text);
  if (d.digits === '0') return '0';
  return `${d.negative ? '-' : ''}${d.digits}e${d.exponent}`;
}

export interface DecimalParts {
  negative: boolean;
  /** Significant digits without leading or trailing zeros ("0" for zero). */
  digits: string;
  /** value = digits * 10^exponent */
  exponent: number;
}

export function decomposeNumber(text: string): DecimalParts {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new SyntaxError(`not a JSON number: ${text}`);
  const negative = m[1] === '-';
  const intPart = m[2] as string;
  const frac = m[3] ?? '';
  // Exponents beyond the safe range saturate; such values are far outside any double anyway.
  const expRaw = m[4] === undefined ? 0 : Number(m[4]);
  let digits = (intPart + frac).replace(/^0+/, '');
  let exponent = expRaw - frac.length;
  if (digits === '') return { negative, digits: '0', exponent: 0 };
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return { negative, digits, exponent };
}

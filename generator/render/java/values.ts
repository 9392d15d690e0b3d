import { JsonNumber, type JsonValue } from '../../json/value.js';
import type { RenderEra } from '../eras.js';
import { scalaMapPrintOrder } from './mapOrder.js';
import { JavaNumber, javaNumberFromJson } from './numbers.js';

/**
 * The Java objects mustache.java sees when Cosmos renders: String, Boolean, a Number,
 * java.util.List, java.util.Map (in Scala's iteration order), or a lambda.
 */
export type JavaValue = null | boolean | string | JavaNumber | JavaValue[] | JavaMap | JavaLambda;

/** A `java.util.Map` view: `entries` iterates in the order Map.toString prints. */
export class JavaMap {
  constructor(readonly entries: Map<string, JavaValue>) {}
}

/** A mustache.java TemplateFunction: its result is compiled and rendered as a template. */
export class JavaLambda {
  constructor(
    readonly name: string,
    readonly apply: (text: string | null) => string,
  ) {}
}

/** `String.valueOf(v)` as Java writes it (List and Map print their elements recursively). */
export function javaToString(v: JavaValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JavaNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(javaToString).join(', ')}]`;
  if (v instanceof JavaMap) {
    const parts: string[] = [];
    for (const [k, val] of v.entries) parts.push(`${k}=${javaToString(val)}`);
    return `{${parts.join(', ')}}`;
  }
  return `${v.name}$$Lambda`;
}

/** circe's JSON string escaping (Printer.noSpaces), quotes included. */
export function circeQuote(s: string): string {
  return `"${circeEscape(s)}"`;
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\u009f]/;

export function circeEscape(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return out;
}

/**
 * Cosmos's jsonToJava for the given era. Arrays and objects convert once per era behaviour:
 * the parts of a context that come straight from a package's files (resource.json, object
 * defaults) are the same objects on every render, and their Java views never change.
 */
export function jsonToJava(v: JsonValue, era: RenderEra, inArray = false): JavaValue {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (!era.jsonEscapeStrings) return v;
    return inArray && era.quoteStringsInArrays ? circeQuote(v) : circeEscape(v);
  }
  if (v instanceof JsonNumber) return javaNumberFromJson(v.text, era.bigIntegers);
  const memo = conversions(era);
  const known = memo.get(v);
  if (known !== undefined) return known;
  let out: JavaValue;
  if (Array.isArray(v)) out = v.map((x) => jsonToJava(x, era, true));
  else {
    const entries = new Map<string, JavaValue>();
    for (const k of scalaMapPrintOrder([...v.keys()], era.smallObjectsInHashOrder)) entries.set(k, jsonToJava(v.get(k) as JsonValue, era, false));
    out = new JavaMap(entries);
  }
  memo.set(v, out);
  return out;
}

const memos = new Map<string, WeakMap<object, JavaValue>>();

function conversions(era: RenderEra): WeakMap<object, JavaValue> {
  const key = `${+era.jsonEscapeStrings}${+era.quoteStringsInArrays}${+era.bigIntegers}${+era.smallObjectsInHashOrder}`;
  let memo = memos.get(key);
  if (memo === undefined) {
    memo = new WeakMap();
    memos.set(key, memo);
  }
  return memo;
}

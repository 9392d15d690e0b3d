/**
 * File-level checks: encoding, JSON syntax, duplicate keys and escaped unicode literals.
 * The Universe reads JSON files as ASCII (Cosmos 0.6.2 and older use the platform charset,
 * ASCII on CoreOS) and refuses any JSON whose `json.dumps` holds a `\uXXXX` escape
 * (DCOS-42473): a non-ASCII or control character, or a backslash followed by `uXXXX`.
 */
import { isUtf8 } from 'node:buffer';
import { JsonSyntaxError, parseJson, positionAt } from '../../json/parse.js';
import { joinPointer } from '../../json/pointer.js';
import type { JsonValue } from '../../json/value.js';
import { TextMap } from '../../cache.js';
import { finding, jsonPlace, type Finding, type JsonFileName } from '../findings.js';

export interface JsonFileReport {
  /** The parsed value, or undefined when the text is not JSON. */
  value: JsonValue | undefined;
  findings: Finding[];
}

const jsonCaches = new Map<JsonFileName, TextMap<JsonFileReport>>();

/** Checks of one JSON file of a revision; the result is shared by every file with the same text. */
export function checkJsonFile(file: JsonFileName, text: string): JsonFileReport {
  // package.json differs in every revision (its version): nothing to share.
  if (file === 'package.json') return analyzeJson(file, text);
  let cache = jsonCaches.get(file);
  if (cache === undefined) {
    cache = new TextMap<JsonFileReport>(256);
    jsonCaches.set(file, cache);
  }
  let report = cache.get(text);
  if (report === undefined) {
    report = analyzeJson(file, text);
    cache.set(text, report);
  }
  return report;
}

export function analyzeJson(file: JsonFileName, text: string): JsonFileReport {
  const findings: Finding[] = [];
  const nonAscii = firstNonAscii(text);
  if (nonAscii >= 0) {
    const at = positionAt(text, nonAscii);
    const ch = text.charCodeAt(nonAscii);
    const what = ch === 0xfffd ? 'bytes that are not UTF-8' : ch === 0xfeff ? 'a byte order mark' : `the non-ASCII character ${describeChar(text.codePointAt(nonAscii) as number)}`;
    findings.push(finding('file-encoding', file, `${file} must be ASCII, but holds ${what} (escape it, or use plain ASCII)`, { line: at.line, column: at.column }));
  }
  let value: JsonValue | undefined;
  try {
    const parsed = parseJson(text);
    value = parsed.value;
    for (const d of parsed.duplicates) {
      findings.push(finding('json-duplicate-key', file, `duplicate key "${d.key}": JSON readers keep one of the values`, { pointer: d.pointer, line: d.position.line, column: d.position.column }));
    }
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    findings.push(finding('json-syntax', file, e.message, { pointer: '', line: e.position.line, column: e.position.column }));
    return { value: undefined, findings };
  }
  // A raw non-ASCII character already has its finding; it would show again here. Without a
  // `\u` in the text, no string can hold what the check looks for: raw control characters
  // are not JSON, and a decoded `\uXXXX` needs `\\u` in the source.
  if (nonAscii >= 0 || !text.includes('\\u')) return { value, findings };
  for (const u of unicodeEscapes(value, '')) {
    findings.push(finding('json-unicode-escape', file, `${u.where} holds ${u.what}, which the Universe refuses as an escaped unicode literal`, jsonPlace(text, u.pointer)));
  }
  return { value, findings };
}

function firstNonAscii(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return i;
  return -1;
}

function describeChar(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

interface UnicodeEscape {
  pointer: string;
  where: string;
  what: string;
}

/** What Python's json.dumps (ensure_ascii) would write as `\uXXXX`, or a literal `\uXXXX`. */
function escapedLiteral(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && c !== 0x08 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d)) {
      return `the character ${describeChar(s.codePointAt(i) as number)}`;
    }
  }
  const literal = /\\u[0-9a-fA-F]{4}/.exec(s);
  return literal ? `the text ${literal[0]}` : undefined;
}

function unicodeEscapes(value: JsonValue, pointer: string, out: UnicodeEscape[] = []): UnicodeEscape[] {
  if (typeof value === 'string') {
    const what = escapedLiteral(value);
    if (what !== undefined) out.push({ pointer, where: pointer === '' ? 'the document' : `the string at ${pointer}`, what });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => unicodeEscapes(v, joinPointer(pointer, i), out));
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      const at = joinPointer(pointer, k);
      const what = escapedLiteral(k);
      if (what !== undefined) out.push({ pointer: at, where: `the key of ${at}`, what });
      unicodeEscapes(v, at, out);
    }
  }
  return out;
}

/** The template is stored as bytes (base64 in the index) but Cosmos decodes it as UTF-8. */
export function checkTemplateEncoding(bytes: Buffer, text: string): Finding[] {
  if (isUtf8(bytes)) return [];
  const bad = text.indexOf('\ufffd');
  const at = positionAt(text, Math.max(0, bad));
  return [finding('file-encoding', 'marathon.json.mustache', 'marathon.json.mustache is not valid UTF-8; Cosmos decodes the template as UTF-8 and replaces these bytes', { line: at.line, column: at.column })];
}

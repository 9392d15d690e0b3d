/**
 * JSON text exactly as Python's `json.dump(obj, file)` writes it with default arguments, which is
 * what the public Universe build (mesosphere/universe `scripts/gen_universe.py`) uses for every
 * file: `ensure_ascii=True`, separators `', '` and `': '`, no sorting, numbers as Python reads and
 * prints them (ints keep every digit, floats print as `repr(float)`), `NaN` and `Infinity` allowed.
 */
import { JsonNumber, type JsonValue } from '../json/value.js';

/** Python 3.11+ refuses to convert longer digit strings to int (`sys.get_int_max_str_digits()`). */
export const PYTHON_INT_MAX_STR_DIGITS = 4300;

/** Thrown for input Python's `json.load` itself refuses (so the public build would crash). */
export class PythonJsonError extends Error {}

export function pyDumps(value: JsonValue): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(v: JsonValue, out: string[]): void {
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'string') out.push(pyQuote(v));
  else if (v instanceof JsonNumber) out.push(pyNumber(v.text));
  else if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(', ');
      write(v[i] as JsonValue, out);
    }
    out.push(']');
  } else {
    if (v.size === 0) {
      out.push('{}');
      return;
    }
    out.push('{');
    let first = true;
    for (const [k, item] of v) {
      if (first) first = false;
      else out.push(', ');
      out.push(pyQuote(k), ': ');
      write(item, out);
    }
    out.push('}');
  }
}

/** Characters printed as themselves: ' ' to '~' except '"' and '\\'. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const SPECIAL = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;
const HEX = '0123456789abcdef';

/** A string literal as Python's `json` writes it with `ensure_ascii=True` (lower-case `\u` hex). */
export function pyQuote(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  return `"${s.replace(SPECIAL, escapeChar)}"`;
}

function escapeChar(c: string): string {
  switch (c) {
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    default: {
      // One UTF-16 unit at a time: a character above U+FFFF comes out as its surrogate pair,
      // as Python writes it; a lone surrogate (from a `\ud800` escape) comes out as itself.
      const code = c.charCodeAt(0);
      return `\\u${HEX[(code >> 12) & 15]}${HEX[(code >> 8) & 15]}${HEX[(code >> 4) & 15]}${HEX[code & 15]}`;
    }
  }
}

/**
 * A JSON number lexeme as Python prints it after `json.load`: an int lexeme (no fraction, no
 * exponent) keeps its digits (`-0` becomes `0`), anything else becomes a float printed by `repr`.
 */
export function pyNumber(text: string): string {
  const isInt = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
  if (!isInt) return pyFloatRepr(Number(text));
  const digits = text.charCodeAt(0) === 45 ? text.length - 1 : text.length;
  if (digits > PYTHON_INT_MAX_STR_DIGITS) {
    throw new PythonJsonError(`an integer of ${digits} digits: Python's json refuses more than ${PYTHON_INT_MAX_STR_DIGITS}`);
  }
  return text === '-0' ? '0' : text;
}

/**
 * `repr(float)` of Python 3 (shortest round-trip digits; positional notation when the decimal
 * exponent is in -4 <= exp < 16, else `d.ddde+XX`), and json's `NaN` / `Infinity` spellings.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without digits gives the shortest digits that read back as x (ECMA-262),
  // the same digits as Python's repr (David Gay's shortest mode).
  const exp = Math.abs(x).toExponential();
  const e = exp.indexOf('e');
  const digits = exp.slice(0, e).replace('.', '');
  const exponent = Number(exp.slice(e + 1));
  const decpt = exponent + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const absExp = Math.abs(exponent);
  return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
}

/** Python's truth value of a loaded JSON value (`if resource:` in gen_universe.py). */
export function pyTruthy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof JsonNumber) return Number(v.text) !== 0;
  if (Array.isArray(v)) return v.length > 0;
  return v.size > 0;
}

/**
 * The fast path of the build: JSON text straight to Python `json.dumps` text in one pass, with
 * no tree in between. Plain strings and integers are copied from the source; escapes,
 * non-ASCII characters and floats go through the same functions as the tree path (pyjson.ts).
 * Anything unusual (a syntax error, a duplicate key, a byte order mark, an over-long integer)
 * gives undefined, and the caller takes the tree path, which reports it with a position.
 */
import { escapeLength, jsonEscapeAt } from '../json/parse.js';
import { PYTHON_INT_MAX_STR_DIGITS, pyFloatRepr, pyQuote } from './pyjson.js';

class Bail extends Error {}
const BAIL = new Bail();

/** The first character a string literal cannot copy as it is (sticky-free, global for lastIndex). */
const STRING_STOP = /["\\\u0000-\u001f\u007f-\uffff]/g;

export function transcodeToPython(text: string): string | undefined {
  const t = new Transcoder(text);
  try {
    t.ws();
    const out = t.value();
    t.ws();
    if (t.pos !== text.length) return undefined;
    return out;
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

/** Python's truth value of a value from its dumps text (`if resource:` in gen_universe.py). */
export function pyTruthyText(dumped: string): boolean {
  switch (dumped) {
    case '{}':
    case '[]':
    case '""':
    case 'null':
    case 'false':
    case '0':
    case '0.0':
    case '-0.0':
      return false;
    default:
      return true;
  }
}

class Transcoder {
  pos = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  value(): string {
    const c = this.s.charCodeAt(this.pos);
    if (c === 34) return this.string();
    if (c === 123) return this.object();
    if (c === 91) return this.array();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (c === 116) return this.literal('true');
    if (c === 102) return this.literal('false');
    if (c === 110) return this.literal('null');
    throw BAIL;
  }

  private literal(word: string): string {
    if (!this.s.startsWith(word, this.pos)) throw BAIL;
    this.pos += word.length;
    return word;
  }

  /** A string literal: copied when every character is printable ASCII other than '"' and '\'. */
  string(): string {
    const s = this.s;
    const start = this.pos;
    STRING_STOP.lastIndex = start + 1;
    if (STRING_STOP.test(s)) {
      const p = STRING_STOP.lastIndex - 1;
      if (s.charCodeAt(p) === 34) {
        this.pos = p + 1;
        return s.slice(start, p + 1);
      }
    }
    return pyQuote(this.decodeString(start));
  }

  /** Decodes the string literal at `start` (for the slow cases); bails out on anything invalid. */
  private decodeString(start: number): string {
    const s = this.s;
    let p = start + 1;
    let out = '';
    let run = p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (Number.isNaN(c) || c < 32) throw BAIL;
      if (c === 34) {
        out += s.slice(run, p);
        this.pos = p + 1;
        return out;
      }
      if (c !== 92) {
        p++;
        continue;
      }
      out += s.slice(run, p);
      const decoded = jsonEscapeAt(s, p);
      if (decoded === undefined) throw BAIL;
      out += decoded;
      p += escapeLength(s, p);
      run = p;
    }
  }

  private number(): string {
    const s = this.s;
    const start = this.pos;
    let p = start;
    if (s.charCodeAt(p) === 45) p++;
    const first = s.charCodeAt(p);
    if (first === 48) p++;
    else if (first > 48 && first <= 57) while (isDigit(s.charCodeAt(p))) p++;
    else throw BAIL;
    let float = false;
    if (s.charCodeAt(p) === 46) {
      float = true;
      p++;
      if (!isDigit(s.charCodeAt(p))) throw BAIL;
      while (isDigit(s.charCodeAt(p))) p++;
    }
    const e = s.charCodeAt(p);
    if (e === 101 || e === 69) {
      float = true;
      p++;
      const sign = s.charCodeAt(p);
      if (sign === 43 || sign === 45) p++;
      if (!isDigit(s.charCodeAt(p))) throw BAIL;
      while (isDigit(s.charCodeAt(p))) p++;
    }
    // A digit right after a leading zero is a syntax error the tree path reports.
    if (first === 48 && isDigit(s.charCodeAt(start + (s.charCodeAt(start) === 45 ? 2 : 1)))) throw BAIL;
    this.pos = p;
    const lexeme = s.slice(start, p);
    if (float) return pyFloatRepr(Number(lexeme));
    if (p - start > PYTHON_INT_MAX_STR_DIGITS) throw BAIL;
    return lexeme === '-0' ? '0' : lexeme;
  }

  /** Past an opening bracket or brace: true when the container closes at once (`close` consumed). */
  private opensEmpty(close: number): boolean {
    this.pos++;
    this.ws();
    if (this.s.charCodeAt(this.pos) !== close) return false;
    this.pos++;
    return true;
  }

  /** After an item: true when a comma follows (another item), false when `close` ends the container. */
  private another(close: number): boolean {
    this.ws();
    const c = this.s.charCodeAt(this.pos);
    this.pos++;
    if (c === 44) return true;
    if (c === close) return false;
    throw BAIL;
  }

  private array(): string {
    if (this.opensEmpty(93)) return '[]';
    let out = '[';
    for (;;) {
      this.ws();
      out += this.value();
      if (!this.another(93)) return out + ']';
      out += ', ';
    }
  }

  /** Keys of the objects being read, innermost last (one array for the whole document). */
  private readonly keys: string[] = [];

  private object(): string {
    const s = this.s;
    if (this.opensEmpty(125)) return '{}';
    let out = '{';
    const keys = this.keys;
    const first = keys.length;
    let set: Set<string> | undefined;
    for (;;) {
      this.ws();
      if (s.charCodeAt(this.pos) !== 34) throw BAIL;
      // Keys compare by their Python spelling, which is one per decoded key.
      const key = this.string();
      if (set !== undefined) {
        if (set.has(key)) throw BAIL;
        set.add(key);
      } else {
        for (let i = first; i < keys.length; i++) if (keys[i] === key) throw BAIL;
        keys.push(key);
        if (keys.length - first > 16) set = new Set(keys.slice(first));
      }
      this.ws();
      if (s.charCodeAt(this.pos) !== 58) throw BAIL;
      this.pos++;
      this.ws();
      out += `${key}: ${this.value()}`;
      if (!this.another(125)) break;
      out += ', ';
    }
    keys.length = first;
    return out + '}';
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

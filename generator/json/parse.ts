import { JsonNumber, type JsonArray, type JsonObject, type JsonValue } from './value.js';
import { pointerFromTokens, pointerTokens } from './pointer.js';

/** A place in a text: 0-based offset, 1-based line and column (column counts UTF-16 units). */
export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: TextPosition,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export interface DuplicateKey {
  /** Pointer of the object member that appears more than once. */
  pointer: string;
  key: string;
  /** Position of the repeated key (the second or later occurrence). */
  position: TextPosition;
}

export interface ParsedJson {
  value: JsonValue;
  /** Keys repeated inside one object; the value keeps the first position and the last value. */
  duplicates: DuplicateKey[];
}

/**
 * Where the value at `pointer` starts in `text`, or where its nearest existing ancestor starts
 * when the pointer names something absent. Undefined when the text is not JSON up to there.
 */
export function locatePointer(text: string, pointer: string): TextPosition | undefined {
  const parser = new Parser(text);
  parser.target = pointerTokens(pointer);
  try {
    parser.parseDocument();
  } catch {
    if (parser.found.depth < 0) return undefined;
  }
  return parser.found.depth < 0 ? undefined : positionAt(text, parser.found.offset);
}

export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

const enum Ch {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  LowerE = 101,
  LBrace = 123,
  RBrace = 125,
}

/**
 * Strict RFC 8259 JSON (no comments, trailing commas, NaN, leading zeros, raw control
 * characters or byte order mark), keeping key order and number spelling.
 */
export function parseJson(text: string): ParsedJson {
  return new Parser(text).parseDocument();
}

/** Parses and returns the value only; duplicate keys resolve as in Cosmos (last value wins). */
export function parseJsonValue(text: string): JsonValue {
  return parseJson(text).value;
}

class Parser {
  private pos = 0;
  readonly duplicates: DuplicateKey[] = [];
  /** Tokens of the pointer to the value being parsed, joined only when a duplicate needs it. */
  private readonly path: (string | number)[] = [];

  /** When locating a pointer: its tokens, and the deepest matching value start seen so far. */
  target: string[] | undefined;
  found = { depth: -1, offset: 0 };

  constructor(private readonly text: string) {}

  parseDocument(): ParsedJson {
    if (this.text.charCodeAt(0) === 0xfeff) this.fail('unexpected byte order mark at the start of the JSON text', 0);
    this.skipWs();
    if (this.pos >= this.text.length) this.fail('empty JSON text: expected a value');
    const value = this.parseValue();
    this.skipWs();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describe(this.pos)} after the JSON value`);
    return { value, duplicates: this.duplicates };
  }

  private fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, positionAt(this.text, at));
  }

  private describe(at: number): string {
    if (at >= this.text.length) return 'end of input';
    const c = this.text[at] as string;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
    return `'${c}'`;
  }

  private skipWs(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === Ch.Space || c === Ch.Newline || c === Ch.Return || c === Ch.Tab) p++;
      else break;
    }
    this.pos = p;
  }

  private parseValue(): JsonValue {
    if (this.target !== undefined) this.noteTarget();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case Ch.LBrace:
        return this.parseObject();
      case Ch.LBracket:
        return this.parseArray();
      case Ch.Quote:
        return this.parseString();
      case 116: // t
        return this.parseLiteral('true', true);
      case 102: // f
        return this.parseLiteral('false', false);
      case 110: // n
        return this.parseLiteral('null', null);
      default:
        if (c === Ch.Minus || (c >= Ch.Zero && c <= Ch.Nine)) return this.parseNumber();
        if (c === Ch.Slash) this.fail('comments are not allowed in JSON');
        return this.fail(`unexpected ${this.describe(this.pos)}: expected a JSON value`);
    }
  }

  private noteTarget(): void {
    const target = this.target as string[];
    const depth = this.path.length;
    if (depth > target.length || depth <= this.found.depth) return;
    for (let i = 0; i < depth; i++) if (String(this.path[i]) !== target[i]) return;
    this.found = { depth, offset: this.pos };
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail(`unexpected ${this.describe(this.pos)}: expected a JSON value`);
  }

  private parseNumber(): JsonNumber {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === Ch.Minus) p++;
    const first = t.charCodeAt(p);
    if (first === Ch.Zero) {
      p++;
      const next = t.charCodeAt(p);
      if (next >= Ch.Zero && next <= Ch.Nine) this.fail('leading zeros are not allowed in JSON numbers', p);
    } else if (first > Ch.Zero && first <= Ch.Nine) {
      while (isDigit(t.charCodeAt(p))) p++;
    } else {
      this.fail('expected a digit in the number', p);
    }
    if (t.charCodeAt(p) === Ch.Dot) {
      p++;
      if (!isDigit(t.charCodeAt(p))) this.fail('expected a digit after the decimal point', p);
      while (isDigit(t.charCodeAt(p))) p++;
    }
    const e = t.charCodeAt(p);
    if (e === Ch.LowerE || e === Ch.UpperE) {
      p++;
      const sign = t.charCodeAt(p);
      if (sign === Ch.Plus || sign === Ch.Minus) p++;
      if (!isDigit(t.charCodeAt(p))) this.fail('expected a digit in the exponent', p);
      while (isDigit(t.charCodeAt(p))) p++;
    }
    this.pos = p;
    return new JsonNumber(t.slice(start, p));
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos + 1;
    let p = start;
    // Fast path: no escapes.
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === Ch.Quote) {
        this.pos = p + 1;
        return t.slice(start, p);
      }
      if (c === Ch.Backslash) break;
      if (c < 0x20 || Number.isNaN(c)) {
        if (Number.isNaN(c)) this.fail('unterminated string', start - 1);
        this.fail(`${this.describe(p)} must be escaped in a JSON string`, p);
      }
      p++;
    }
    let out = t.slice(start, p);
    for (;;) {
      const c = t.charCodeAt(p);
      if (Number.isNaN(c)) this.fail('unterminated string', start - 1);
      if (c === Ch.Quote) {
        this.pos = p + 1;
        return out;
      }
      if (c === Ch.Backslash) {
        const decoded = jsonEscapeAt(t, p);
        if (decoded === undefined) {
          const e = t.charCodeAt(p + 1);
          if (e === 117) this.fail('expected four hex digits after \\u', p);
          this.fail(`invalid escape ${Number.isNaN(e) ? '\\' : `'\\${t[p + 1]}'`} in a JSON string`, p);
        }
        out += decoded;
        p += escapeLength(t, p);
        continue;
      }
      if (c < 0x20) this.fail(`${this.describe(p)} must be escaped in a JSON string`, p);
      out += t[p];
      p++;
    }
  }

  private parseArray(): JsonArray {
    const out: JsonArray = [];
    this.pos++;
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === Ch.RBracket) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      if (this.text.charCodeAt(this.pos) === Ch.RBracket) this.fail('trailing comma in array');
      this.path.push(out.length);
      out.push(this.parseValue());
      this.path.pop();
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === Ch.Comma) {
        this.pos++;
        continue;
      }
      if (c === Ch.RBracket) {
        this.pos++;
        return out;
      }
      this.fail(`unexpected ${this.describe(this.pos)}: expected ',' or ']' in array`);
    }
  }

  private parseObject(): JsonObject {
    const out: JsonObject = new Map();
    this.pos++;
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === Ch.RBrace) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      const keyStart = this.pos;
      const c = this.text.charCodeAt(this.pos);
      if (c !== Ch.Quote) {
        if (c === Ch.RBrace) this.fail('trailing comma in object');
        this.fail(`unexpected ${this.describe(this.pos)}: expected a string key in object`);
      }
      const key = this.parseString();
      this.skipWs();
      if (this.text.charCodeAt(this.pos) !== Ch.Colon) {
        this.fail(`unexpected ${this.describe(this.pos)}: expected ':' after object key`);
      }
      this.pos++;
      this.skipWs();
      this.path.push(key);
      const value = this.parseValue();
      if (out.has(key)) {
        this.duplicates.push({ pointer: pointerFromTokens(this.path), key, position: positionAt(this.text, keyStart) });
      }
      this.path.pop();
      out.set(key, value);
      this.skipWs();
      const d = this.text.charCodeAt(this.pos);
      if (d === Ch.Comma) {
        this.pos++;
        continue;
      }
      if (d === Ch.RBrace) {
        this.pos++;
        return out;
      }
      this.fail(`unexpected ${this.describe(this.pos)}: expected ',' or '}' in object`);
    }
  }
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

/**
 * The text a JSON string escape stands for: the escape starts with the backslash at `at`;
 * undefined when it is not one of RFC 8259's (or `\u` lacks its four hex digits).
 */
export function jsonEscapeAt(text: string, at: number): string | undefined {
  switch (text.charCodeAt(at + 1)) {
    case 34: return '"';
    case 92: return '\\';
    case 47: return '/';
    case 98: return '\b';
    case 102: return '\f';
    case 110: return '\n';
    case 114: return '\r';
    case 116: return '\t';
    case 117: {
      const hex = text.slice(at + 2, at + 6);
      return /^[0-9a-fA-F]{4}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : undefined;
    }
    default:
      return undefined;
  }
}

/** The length of the valid escape at `at`: six characters for `\uXXXX`, two for the others. */
export function escapeLength(text: string, at: number): number {
  return text.charCodeAt(at + 1) === 117 ? 6 : 2;
}

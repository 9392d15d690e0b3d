import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PythonJsonError, pyDumps, pyNumber, pyQuote, pyTruthy } from '../../generator/build/pyjson.js';
import { pyTruthyText, transcodeToPython } from '../../generator/build/transcode.js';
import { parseJson } from '../../generator/json/parse.js';
import { JsonNumber } from '../../generator/json/value.js';

// Expected values: Python 3.11 `json.dumps(json.loads(lexeme))` (what gen_universe.py writes).
const NUMBERS: [string, string][] = [
  ['0', '0'],
  ['-0', '0'],
  ['1', '1'],
  ['-1', '-1'],
  ['123456789012345678901234567890', '123456789012345678901234567890'],
  ['0.0', '0.0'],
  ['-0.0', '-0.0'],
  ['1.0', '1.0'],
  ['1.5', '1.5'],
  ['1e2', '100.0'],
  ['1E+2', '100.0'],
  ['1e-2', '0.01'],
  ['0.1', '0.1'],
  ['0.30000000000000004', '0.30000000000000004'],
  ['1e16', '1e+16'],
  ['1e15', '1000000000000000.0'],
  ['123456789012345.6', '123456789012345.6'],
  ['1234567890123456.7', '1234567890123456.8'],
  ['12345678901234567.0', '1.2345678901234568e+16'],
  ['0.0001', '0.0001'],
  ['0.00001', '1e-05'],
  ['1.5e-5', '1.5e-05'],
  ['2.5e-7', '2.5e-07'],
  ['1e22', '1e+22'],
  ['1e400', 'Infinity'],
  ['-1e400', '-Infinity'],
  ['1e-400', '0.0'],
  ['5e-324', '5e-324'],
  ['1.7976931348623157e308', '1.7976931348623157e+308'],
  ['100.0', '100.0'],
  ['1.23e5', '123000.0'],
  ['9007199254740993.0', '9007199254740992.0'],
  ['1E-07', '1e-07'],
  ['0.000123', '0.000123'],
];

// Python `json.dumps(s)`: ensure_ascii, lower-case hex, surrogate pairs, DEL escaped.
const STRINGS: [string, string][] = [
  ['plain', '"plain"'],
  ['quote"back\\slash', '"quote\\"back\\\\slash"'],
  ['\n\r\t\b\f', '"\\n\\r\\t\\b\\f"'],
  ['\x00\x01\x1f', '"\\u0000\\u0001\\u001f"'],
  ['\x7f', '"\\u007f"'],
  ['é', '"\\u00e9"'],
  ['€', '"\\u20ac"'],
  ['😀', '"\\ud83d\\ude00"'],
  ['\ud800', '"\\ud800"'],
  ['/', '"/"'],
  ["<>&'", `"<>&'"`],
];

describe('Python json.dumps text', () => {
  it('prints numbers as Python reads and writes them', () => {
    for (const [lexeme, expected] of NUMBERS) assert.equal(pyNumber(lexeme), expected, lexeme);
  });

  it('quotes strings with ensure_ascii', () => {
    for (const [s, expected] of STRINGS) assert.equal(pyQuote(s), expected, JSON.stringify(s));
  });

  it("uses json.dump's separators and keeps key order, duplicates resolved as Python does", () => {
    const { value } = parseJson('{"b": [1, 2.50, {}], "a": {"x": null, "y": true, "x": false}, "10": "z", "e": []}');
    assert.equal(pyDumps(value), '{"b": [1, 2.5, {}], "a": {"x": false, "y": true}, "10": "z", "e": []}');
  });

  it('refuses integers Python refuses to read (more than 4300 digits)', () => {
    assert.throws(() => pyNumber('9'.repeat(4301)), PythonJsonError);
    assert.equal(pyNumber('9'.repeat(4300)).length, 4300);
    assert.equal(transcodeToPython(`[${'9'.repeat(4301)}]`), undefined);
  });

  it("follows Python's truth values (what gen_universe.py leaves out)", () => {
    const falsy = ['{}', '[]', '""', 'null', 'false', '0', '-0', '0.0', '-0.0', '0e5', '1e-400'];
    const truthy = ['{"a": 1}', '[0]', '" "', 'true', '1', '-1', '0.5', '1e400'];
    for (const t of falsy) {
      assert.equal(pyTruthy(parseJson(t).value), false, t);
      assert.equal(pyTruthyText(transcodeToPython(t) as string), false, t);
    }
    for (const t of truthy) {
      assert.equal(pyTruthy(parseJson(t).value), true, t);
      assert.equal(pyTruthyText(transcodeToPython(t) as string), true, t);
    }
    assert.equal(pyTruthy(new JsonNumber('0.000')), false);
  });
});

describe('one-pass transcoding', () => {
  it('gives the tree path text for any JSON document', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('a', 'b', '__proto__', '10', 'é'));
    const leaf = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('"', '\\', '/', '\u2028', '\ud800', '\x7f', 'a"b'),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.bigInt(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    // Different spellings of the same document: escapes, whitespace, number forms.
    const spell = (v: unknown, style: number): string => {
      if (v === null || typeof v === 'boolean') return String(v);
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number') return style % 3 === 0 ? String(v) : style % 3 === 1 ? v.toExponential() : Number.isInteger(v) && !/e/.test(String(v)) ? `${v}.0` : String(v);
      if (typeof v === 'string') {
        if (style % 2 === 0) return JSON.stringify(v);
        return `"${[...v].map((c) => (c.charCodeAt(0) > 126 || c === '"' || c === '\\' || c < ' ' || c === '/' ? [...c].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('') : c)).join('')}"`;
      }
      const ws = style % 4 === 3 ? ' \n\t' : '';
      if (Array.isArray(v)) return `[${ws}${v.map((x) => spell(x, style + 1)).join(`${ws},${ws}`)}${ws}]`;
      return `{${ws}${Object.entries(v as object).map(([k, x]) => `${spell(k, style)}${ws}:${ws}${spell(x, style + 1)}`).join(`${ws},`)}${ws}}`;
    };
    fc.assert(
      fc.property(value, fc.nat(11), (v, style) => {
        const text = spell(v, style);
        assert.equal(transcodeToPython(text), pyDumps(parseJson(text).value), text);
      }),
      { numRuns: 3000 },
    );
  });

  it('hands over to the tree path whatever is unusual', () => {
    for (const t of ['{"a": 1, "a": 2}', '{"a": 1, "\\u0061": 2}', '\ufeff{}', '{"a": 1,}', '[01]', 'NaN', '{"a": "x\ny"}', '[1] x', '"\\x"', '']) {
      assert.equal(transcodeToPython(t), undefined, JSON.stringify(t));
    }
  });
});

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { JsonSyntaxError, locatePointer, parseJson } from '../../generator/json/parse.js';
import { stringifyJson } from '../../generator/json/stringify.js';
import { canonicalNumber, isJsonObject, JsonNumber, jsonEquals, toPlain } from '../../generator/json/value.js';

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
    throw e;
  }
  assert.fail(`expected a syntax error for ${JSON.stringify(text)}`);
}

describe('parseJson', () => {
  it('keeps number spelling and key order, including integer-like keys', () => {
    const { value } = parseJson('{"b": 1.0, "10": 1E+2, "2": 12345678901234567890123, "a": -0.0}');
    assert.ok(isJsonObject(value));
    assert.deepEqual([...value.keys()], ['b', '10', '2', 'a']);
    assert.deepEqual([...value.values()].map((v) => (v as JsonNumber).text), ['1.0', '1E+2', '12345678901234567890123', '-0.0']);
    assert.equal(stringifyJson(value), '{"b":1.0,"10":1E+2,"2":12345678901234567890123,"a":-0.0}');
  });

  it('reports duplicate keys with their pointer and position; the last value wins in the first position', () => {
    const { value, duplicates } = parseJson('{\n  "a": 1,\n  "o": {"x": 1, "x": 2},\n  "a": 3\n}');
    assert.equal(stringifyJson(value), '{"a":3,"o":{"x":2}}');
    assert.deepEqual(
      duplicates.map((d) => [d.pointer, d.position.line, d.position.column]),
      [
        ['/o/x', 3, 17],
        ['/a', 4, 3],
      ],
    );
  });

  it('decodes escapes and keeps "__proto__" as an ordinary key', () => {
    const { value } = parseJson('{"__proto__": "\\u00e9\\n\\/\\"", "s": "\\ud83d\\ude00"}');
    assert.ok(isJsonObject(value));
    assert.equal(value.get('__proto__'), 'é\n/"');
    assert.equal(value.get('s'), '😀');
    assert.deepEqual(Object.keys(toPlain(value) as object), ['__proto__', 's']);
  });

  const bad: [string, string, number, number][] = [
    ['{"a": 1,}', 'trailing comma in object', 1, 9],
    ['[1, 2,]', 'trailing comma in array', 1, 7],
    ['{"a": 01}', 'leading zeros', 1, 8],
    ['{"a": NaN}', "unexpected 'N'", 1, 7],
    ['{"a": "x\ny"}', 'must be escaped', 1, 9],
    ['// c\n{}', 'comments are not allowed', 1, 1],
    ['{"a": 1} x', 'after the JSON value', 1, 10],
    ['\ufeff{}', 'byte order mark', 1, 1],
    ['{"a": "\\x"}', 'invalid escape', 1, 8],
    ['{"a" 1}', "expected ':'", 1, 6],
    ['', 'empty JSON text', 1, 1],
    ['{\n  "a": [1, 2\n}', "expected ',' or ']'", 3, 1],
    ['{"a": "unterminated', 'unterminated string', 1, 7],
    ['{"a": 1.}', 'after the decimal point', 1, 9],
  ];
  for (const [text, message, line, column] of bad) {
    it(`refuses ${JSON.stringify(text)} at ${line}:${column}`, () => {
      const e = syntaxError(text);
      assert.match(e.message, new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.deepEqual([e.position.line, e.position.column], [line, column]);
    });
  }
});

describe('locatePointer', () => {
  const text = '{\n  "a": {\n    "b": [10, {"c/d": true}]\n  },\n  "e~f": null\n}';
  it('finds values, escaped tokens and array elements', () => {
    assert.deepEqual(pick(locatePointer(text, '')), [1, 1]);
    assert.deepEqual(pick(locatePointer(text, '/a/b/1/c~1d')), [3, 23]);
    assert.deepEqual(pick(locatePointer(text, '/a/b/0')), [3, 11]);
    assert.deepEqual(pick(locatePointer(text, '/e~0f')), [5, 10]);
  });
  it('falls back to the nearest existing ancestor', () => {
    assert.deepEqual(pick(locatePointer(text, '/a/missing/deeper')), [2, 8]);
  });
  function pick(p: { line: number; column: number } | undefined): [number, number] | undefined {
    return p && [p.line, p.column];
  }
});

describe('number values', () => {
  it('compares numbers by value whatever their spelling', () => {
    assert.equal(canonicalNumber('1.0E-7'), canonicalNumber('1e-07'));
    assert.equal(canonicalNumber('100e-2'), canonicalNumber('1'));
    assert.equal(canonicalNumber('-0.0'), canonicalNumber('0'));
    assert.notEqual(canonicalNumber('12345678901234567890123'), canonicalNumber('12345678901234567890124'));
    assert.ok(jsonEquals(parseJson('[1E+2, {"a": 0.50}]').value, parseJson('[100, {"a": 0.5}]').value));
    assert.ok(!jsonEquals(parseJson('{"a": 1, "b": 2}').value, parseJson('{"a": 1}').value));
  });
});

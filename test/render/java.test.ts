import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { scalaHashTrieOrder, scalaMapPrintOrder, scalaMutableHashMapOrder, javaStringHash } from '../../generator/render/java/mapOrder.js';
import { javaDoubleToString, javaNumberFromJson } from '../../generator/render/java/numbers.js';
import { circeEscape, javaToString, jsonToJava } from '../../generator/render/java/values.js';
import { parseJson } from '../../generator/json/parse.js';
import { renderEra } from '../../generator/render/eras.js';

describe('Java Double.toString', () => {
  const cases: [number, string][] = [
    [0.5, '0.5'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1e-7, '1.0E-7'],
    [12345678.9, '1.23456789E7'],
    [9999999, '9999999.0'],
    [1e7, '1.0E7'],
    [-2.5, '-2.5'],
    [100, '100.0'],
    [2147483648, '2.147483648E9'],
    [1.7976931348623157e308, '1.7976931348623157E308'],
    [5e-324, '4.9E-324'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Infinity, 'Infinity'],
    [0.1 + 0.2, '0.30000000000000004'],
  ];
  for (const [n, text] of cases) it(`${n} -> ${text}`, () => assert.equal(javaDoubleToString(n), text));
});

describe('JSON numbers as Cosmos hands them to mustache.java', () => {
  it('1.13 and later: whole numbers are BigInteger with every digit', () => {
    const t = (s: string) => javaNumberFromJson(s, true).text;
    assert.equal(t('1.0'), '1');
    assert.equal(t('1E+2'), '100');
    assert.equal(t('100e-2'), '1');
    assert.equal(t('-0.0'), '0');
    assert.equal(t('1e21'), '1000000000000000000000');
    assert.equal(t('12345678901234567890123'), '12345678901234567890123');
    assert.equal(t('1.5e300').length, 301);
    assert.equal(t('0.25'), '0.25');
    assert.equal(t('1e-400'), '0.0');
    assert.equal(t('-1e-400'), '-0.0');
  });
  it('up to 1.12: only 32-bit whole numbers are integers', () => {
    const t = (s: string) => javaNumberFromJson(s, false);
    assert.deepEqual([t('2147483647').kind, t('2147483647').text], ['Integer', '2147483647']);
    assert.equal(t('-2147483648').text, '-2147483648');
    assert.equal(t('2147483648').text, '2.147483648E9');
    assert.equal(t('-2147483649').text, '-2.147483649E9');
    assert.equal(t('4200000000000000000').text, '4.2E18');
    assert.equal(t('1e21').text, '1.0E21');
    assert.equal(t('3.0').text, '3');
  });
});

describe('Scala map print order', () => {
  it('keeps insertion order up to four keys (1.11 and later)', () => {
    assert.deepEqual(scalaMapPrintOrder(['d', 'c', 'b', 'a'], false), ['d', 'c', 'b', 'a']);
  });
  it('follows the hash trie from five keys', () => {
    assert.deepEqual(scalaHashTrieOrder(['a', 'b', 'c', 'd', 'e', 'f']), ['e', 'f', 'a', 'b', 'c', 'd']);
    assert.deepEqual(scalaMapPrintOrder(['f', 'e', 'd', 'c', 'b', 'a'], true), ['e', 'f', 'a', 'b', 'c', 'd']);
  });
  it('1.9 and 1.10: small objects come out of a mutable hash map', () => {
    assert.deepEqual(scalaMutableHashMapOrder(['a', 'b', 'c', 'd']), ['b', 'd', 'a', 'c']);
    assert.deepEqual(scalaMutableHashMapOrder(['t', 'z']), ['z', 't']);
  });
  it('hashes strings like Java', () => {
    assert.equal(javaStringHash('hello'), 99162322);
    assert.equal(javaStringHash('polygenelubricants'), -2147483648);
  });
});

describe('values as mustache.java prints them', () => {
  const v = (json: string, era = '2.0' as const) => javaToString(jsonToJava(parseJson(json).value, renderEra(era)));
  it('lists print like java.util.List, strings in arrays keep their quotes from 1.12', () => {
    assert.equal(v('["a", 1.0, [true, null], {"k": "v"}]'), '["a", 1, [true, null], {k=v}]');
    assert.equal(v('["a", "b"]', '1.11' as never), '[a, b]');
  });
  it('strings are JSON-escaped without quotes from 1.10, raw in 1.9', () => {
    assert.equal(v('"say \\"hi\\"\\n\\u0085"'), 'say \\"hi\\"\\n\\u0085');
    assert.equal(v('"say \\"hi\\""', '1.9' as never), 'say "hi"');
  });
  it('escapes control characters like circe', () => {
    assert.equal(circeEscape('a\u0001b\u007f\u2028/'), 'a\\u0001b\\u007f\u2028/');
  });
});

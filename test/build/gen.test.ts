import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { GenUniverseError, generatePackage, includedIn, legacyPackage } from '../../generator/build/gen.js';
import { compareLooseVersions, IncomparableVersionsError } from '../../generator/build/looseVersion.js';
import { pyDumps } from '../../generator/build/pyjson.js';
import { parseJson } from '../../generator/json/parse.js';
import { isJsonObject, type JsonObject } from '../../generator/json/value.js';

function obj(text: string): JsonObject {
  const v = parseJson(text).value;
  assert.ok(isJsonObject(v));
  return v;
}

describe('LooseVersion, as Python 3 compares minDcosReleaseVersion', () => {
  // [a, b, a <= b] from Python 3.11 distutils.version.LooseVersion.
  const cases: [string, string, boolean][] = [
    ['1.10', '1.9', false],
    ['1.9', '1.10', true],
    ['1.8', '1.8', true],
    ['1.8.0', '1.8', false],
    ['0.0', '1.8', true],
    ['1.7', '1.8', true],
    ['2.0', '1.13', false],
    ['1.13', '2.0', true],
    ['1.10-dev', '1.10', false],
    ['1.12', '1.11', false],
    ['1.8a', '1.8', false],
    ['1.10.2', '1.10', false],
    ['\u0662.0', '1.8', false],
    ['1.9.x', '1.9', false],
    ['1.10', '1.10.0', true],
  ];
  it('orders versions as numbers, not strings', () => {
    for (const [a, b, le] of cases) assert.equal(compareLooseVersions(a, b) <= 0, le, `${a} <= ${b}`);
  });

  it('fails where Python raises TypeError (a number meets text)', () => {
    assert.throws(() => compareLooseVersions('1.a', '1.10'), IncomparableVersionsError);
  });

  it('filters packages by minDcosReleaseVersion, missing meaning 0.0', () => {
    assert.equal(includedIn(obj('{}'), '1.8'), true);
    assert.equal(includedIn(obj('{"minDcosReleaseVersion": "1.10"}'), '1.9'), false);
    assert.equal(includedIn(obj('{"minDcosReleaseVersion": "1.10"}'), '1.10'), true);
    // '1.8.0' sorts after '1.8': such a package is not in repo-up-to-1.8.json.
    assert.equal(includedIn(obj('{"minDcosReleaseVersion": "1.8.0"}'), '1.8'), false);
    assert.throws(() => includedIn(obj('{"minDcosReleaseVersion": "1.x"}'), '1.10'), GenUniverseError);
    assert.throws(() => includedIn(obj('{"minDcosReleaseVersion": 1.8}'), '1.10'), GenUniverseError);
    assert.throws(() => includedIn(obj('{"minDcosReleaseVersion": ""}'), '1.10'), GenUniverseError);
  });
});

describe("gen_universe.py's package steps", () => {
  it('appends releaseVersion, resource, marathon, config, command; leaves out what Python finds false', () => {
    const pkg = generatePackage({
      releaseVersion: 7,
      package: obj('{"packagingVersion": "3.0", "name": "x"}'),
      resource: obj('{}'),
      marathonTemplate: 'e30=',
      config: obj('{"type": "object"}'),
      command: obj('{"pip": ["a"]}'),
    });
    assert.equal(pyDumps(pkg), '{"packagingVersion": "3.0", "name": "x", "releaseVersion": 7, "marathon": {"v2AppMustacheTemplate": "e30="}, "config": {"type": "object"}, "command": {"pip": ["a"]}}');
    const keepsPosition = generatePackage({ releaseVersion: 1, package: obj('{"releaseVersion": 0, "name": "x"}'), marathonTemplate: '' });
    assert.equal(pyDumps(keepsPosition), '{"releaseVersion": 1, "name": "x"}');
  });

  // escape_json_string(s) from Python 3.11 with gen_universe.py's regular expression.
  const escapes: [string, string][] = [
    ['say "hi"', 'say \\"hi\\"'],
    ['"start" end', '"start\\" end'],
    ['a\\"b', 'a\\"b'],
    ['""', '"\\"'],
    ['a""b', 'a\\""b'],
    ['x"""', 'x\\""\\"'],
    ['[["hostname", "UNIQUE"]]', '[[\\"hostname\\", \\"UNIQUE\\"]]'],
    ['no quotes', 'no quotes'],
    ['\n"', '\n\\"'],
  ];

  it('escapes descriptions and string defaults for DC/OS < 1.10, recursing into object properties', () => {
    for (const [input, expected] of escapes) {
      const config = new Map([['properties', new Map([['p', new Map<string, string | JsonObject>([['description', input], ['type', 'string'], ['default', input]])]])]]);
      const pkg = new Map<string, string | JsonObject>([['packagingVersion', '3.0'], ['config', config as JsonObject]]);
      const out = legacyPackage(pkg as JsonObject);
      const p = ((out.get('config') as JsonObject).get('properties') as JsonObject).get('p') as JsonObject;
      assert.equal(p.get('description'), expected, input);
      assert.equal(p.get('default'), expected, input);
    }
    const nested = obj('{"packagingVersion": "2.0", "config": {"properties": {"o": {"type": "object", "properties": {"s": {"type": "string", "default": "a \\"b\\"", "description": "d"}}}, "n": {"type": "integer", "default": 1}}}}');
    assert.equal(
      pyDumps(legacyPackage(nested)),
      '{"packagingVersion": "2.0", "config": {"properties": {"o": {"type": "object", "properties": {"s": {"type": "string", "default": "a \\\\\\"b\\\\\\"", "description": "d"}}}, "n": {"type": "integer", "default": 1}}}}',
    );
  });

  it('downgrades 4.0 (and anything but 2.0 and 3.0) to 3.0, keeping positions; leaves the input alone', () => {
    const pkg = obj('{"packagingVersion": "4.0", "upgradesFrom": ["*"], "name": "x", "downgradesTo": [], "minDcosReleaseVersion": "1.9"}');
    const before = pyDumps(pkg);
    assert.equal(pyDumps(legacyPackage(pkg)), '{"packagingVersion": "3.0", "name": "x", "minDcosReleaseVersion": "1.9"}');
    assert.equal(pyDumps(pkg), before);
    const untouched = obj('{"packagingVersion": "3.0", "config": {"properties": {"a": {"type": "string", "default": "x"}}}}');
    assert.equal(legacyPackage(untouched), untouched);
    assert.equal(pyDumps(legacyPackage(obj('{"name": "no-version"}'))), '{"name": "no-version", "packagingVersion": "3.0"}');
  });

  it('fails where the Python escaping raises', () => {
    const crash = [
      '{"config": {"properties": {"a": {"type": "string", "default": null}}}}',
      '{"config": {"properties": {"a": 5}}}',
      '{"config": {"properties": {"a": "a description"}}}',
      '{"config": {"properties": {"a": {"description": ["x"]}}}}',
      '{"config": {"properties": ["description"]}}',
      '{"config": "properties"}',
      '{"config": {"properties": {"a": {"type": "object", "properties": 3}}}}',
    ];
    for (const c of crash) assert.throws(() => legacyPackage(obj(c)), GenUniverseError, c);
    // Python's `in` is a substring test on strings: no "description" or "type" in it, no crash.
    assert.doesNotThrow(() => legacyPackage(obj('{"packagingVersion": "3.0", "config": {"properties": {"a": "plain"}}}')));
  });
});

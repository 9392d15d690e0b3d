import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseJson } from '../../generator/json/parse.js';
import { stringifyJson } from '../../generator/json/stringify.js';
import type { JsonObject, JsonValue } from '../../generator/json/value.js';
import { extractDefaults, mergeJsonObjects, universeEscapeConfig, escapeJsonString } from '../../generator/render/context.js';
import { renderMarathonTemplate, type RenderResult } from '../../generator/render/cosmos.js';
import { renderEra, type DcosVersion } from '../../generator/render/eras.js';

const j = (text: string): JsonValue => parseJson(text).value;
const o = (text: string): JsonObject => j(text) as JsonObject;

function render(template: string, config: string | undefined, options?: string, version: DcosVersion = '2.0'): RenderResult {
  return renderMarathonTemplate({ template, config: config === undefined ? undefined : j(config), options: options === undefined ? undefined : o(options), resource: undefined }, renderEra(version));
}

describe('defaults and merging', () => {
  const config = j('{"properties": {"s": {"properties": {"a": {"default": 1}, "b": {"default": 2}}}, "e": {"properties": {"x": {"type": "string"}}}, "d": {"default": {"k": 1}, "properties": {"k": {"default": 9}}}}}');
  it('takes defaults recursively; a property default wins over nested ones', () => {
    assert.equal(stringifyJson(extractDefaults(config, renderEra('2.0'))), '{"s":{"a":1,"b":2},"d":{"k":1}}');
  });
  it('keeps empty nested defaults up to 1.11', () => {
    assert.equal(stringifyJson(extractDefaults(config, renderEra('1.11'))), '{"s":{"a":1,"b":2},"e":{},"d":{"k":1}}');
  });
  it('merges key by key up to 1.12 and with circe deepMerge from 1.13', () => {
    const defaults = o('{"s": {"a": 1, "b": 2}, "t": 0}');
    const options = o('{"s": {"c": 3, "a": 9}, "u": 1}');
    assert.equal(stringifyJson(mergeJsonObjects(defaults, options, renderEra('1.12'))), '{"s":{"a":9,"b":2,"c":3},"t":0,"u":1}');
    assert.equal(stringifyJson(mergeJsonObjects(defaults, options, renderEra('1.13'))), '{"s":{"c":3,"a":9,"b":2},"u":1,"t":0}');
  });
  it('adds the Universe 1.9 escaping to string defaults and descriptions, recursively', () => {
    const c = universeEscapeConfig(j('{"properties": {"a": {"type": "string", "default": "{\\"k\\": \\"v\\"}", "description": "say \\"x\\""}, "o": {"type": "object", "properties": {"b": {"type": "string", "default": "\\"q\\""}}}, "n": {"type": "number", "default": 1}}}'));
    assert.equal(stringifyJson(c), '{"properties":{"a":{"type":"string","default":"{\\\\\\"k\\\\\\": \\\\\\"v\\\\\\"}","description":"say \\\\\\"x\\\\\\""},"o":{"type":"object","properties":{"b":{"type":"string","default":"\\"q\\\\\\""}}},"n":{"type":"number","default":1}}}');
    assert.equal(escapeJsonString('a""'), 'a\\""');
    assert.equal(escapeJsonString('\\"already\\"'), '\\"already\\"');
  });
});

describe('options are checked against config.json like Cosmos', () => {
  const config = '{"type": "object", "properties": {"service": {"type": "object", "properties": {"name": {"type": "string", "pattern": "^[a-z]+$", "default": "svc"}, "count": {"type": "integer", "minimum": 1, "default": 1}}, "required": ["name"], "additionalProperties": false}}}';
  const t = '{"id": "{{service.name}}", "instances": {{service.count}}}';
  it('accepts valid options and renders them', () => {
    const r = render(t, config, '{"service": {"count": 3}}');
    assert.ok(r.ok);
    assert.equal(r.text, '{"id": "svc", "instances": 3}');
  });
  it('refuses invalid options naming the property', () => {
    const r = render(t, config, '{"service": {"count": 0, "name": "Bad", "extra": 1}}');
    assert.ok(!r.ok);
    assert.equal(r.kind, 'options_invalid');
    const pointers = (r.problems ?? []).map((p) => p.pointer).sort();
    assert.deepEqual(pointers, ['/service/count', '/service/extra', '/service/name']);
    assert.match(r.message, /\/service\/count must be >= 1/);
  });
  it('refuses any options without config.json, but not an empty object', () => {
    const r = render('{"id": "x"}', undefined, '{"a": 1}');
    assert.ok(!r.ok && r.kind === 'options_not_allowed');
    assert.ok(render('{"id": "x"}', undefined, '{}').ok);
  });
  it('accepts the oddities of real config.json files (clashing ids, $schema, media, unknown formats)', () => {
    const odd = '{"$schema": "http://json-schema.org/schema#", "id": "http://x/a", "type": "object", "properties": {"a": {"id": "http://x/a", "type": "string", "default": "v", "media": {"binaryEncoding": "base64"}, "format": "path"}, "b": {"id": "http://x/a", "type": "integer", "default": 1}}}';
    const r = render('{"a": "{{a}}", "b": {{b}}}', odd);
    assert.ok(r.ok, r.ok ? '' : r.message);
  });
  it('does not crash on values ajv once could not compare (uniqueItems over objects with valueOf keys)', () => {
    const c = '{"properties": {"a": {"type": "array", "uniqueItems": true, "default": [{}, {"valueOf": 1}, {"toString": "x"}]}}}';
    assert.ok(render('{"n": {{a.size}}}', c).ok);
    const dup = render('{}', c, '{"a": [{"valueOf": 1}, {"valueOf": 1}]}');
    assert.ok(!dup.ok && dup.kind === 'options_invalid');
  });
  it('validates the defaults too: a default that breaks its own schema is refused', () => {
    const r = render('{}', '{"type": "object", "properties": {"n": {"type": "integer", "default": "x"}}}');
    assert.ok(!r.ok && r.kind === 'options_invalid');
  });
});

describe('the rendered result', () => {
  it('must be a JSON object with string labels', () => {
    const notObject = render('[1]', undefined);
    assert.ok(!notObject.ok && notObject.kind === 'not_json_object');
    const badLabel = render('{"labels": {"a": 1}}', undefined);
    assert.ok(!badLabel.ok && badLabel.kind === 'labels_error' && badLabel.pointer === '/labels/a');
    const parse = render('{"a": {{x}}}', undefined);
    assert.ok(!parse.ok && parse.kind === 'json_parse_error' && parse.line === 1 && parse.column === 7);
  });
  it('null labels are refused on 1.9 only', () => {
    assert.ok(render('{"labels": null}', undefined).ok);
    const r = render('{"labels": null}', undefined, undefined, '1.9');
    assert.ok(!r.ok && r.kind === 'labels_error');
  });
  it('keeps numbers as the engine wrote them and big integers whole', () => {
    const r = render('{"a": {{a}}, "b": {{b}}}', '{"properties": {"a": {"default": 1e-7}, "b": {"default": 123456789012345678901234567890}}}');
    assert.ok(r.ok);
    assert.equal(stringifyJson(r.app), '{"a":1.0E-7,"b":123456789012345678901234567890}');
  });
  it('asJson writes a string option raw on 2.0 only', () => {
    const c = '{"properties": {"j": {"type": "string", "default": "{\\"k\\": [1]}"}}}';
    const r2 = render('{"v": {{#asJson}}j{{/asJson}}}', c);
    assert.ok(r2.ok && r2.text === '{"v": {"k": [1]}}');
    const r13 = render('{"v": "{{#asJson}}j{{/asJson}}"}', c, undefined, '1.13');
    assert.ok(r13.ok && r13.text === '{"v": ""}');
  });
  it('an asJson value that calls asJson forever is a render error, not a crash', () => {
    const r = render('{"v": {{#asJson}}t{{/asJson}}}', '{"properties": {"t": {"type": "string", "default": "{{#asJson}}t{{/asJson}}"}}}');
    assert.ok(!r.ok && r.kind === 'render_error');
  });
});

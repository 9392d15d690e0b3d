import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isJsonObject, type JsonObject } from '../../generator/json/value.js';
import { renderMarathonTemplate } from '../../generator/render/cosmos.js';
import { renderEra, type DcosVersion } from '../../generator/render/eras.js';
import { parseJson } from '../../generator/json/parse.js';

const config = parseJson('{"type": "object", "properties": {"x": {"type": "string", "default": ""}}}').value;
const TEMPLATE = '{"double": "{{x}}", "triple": "{{{x}}}", "amp": "{{&x}}", "nested": {"list": ["{{x}}", "a {{x}} b"]}, "labels": {"L": "{{x}}"}}';
const quoted = ['double', 'triple', 'amp'];

// Strings made to hurt: quotes, backslashes, control characters, JSON and mustache syntax.
const nasty = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u0085', '\u2028', '/', '{', '}', '[', ']', ',', ':', 'u', '0', 'a', ' ', '&', '<') }),
);

describe('no string option breaks the JSON of a template that quotes it', () => {
  for (const version of ['1.10', '1.11', '1.12', '1.13', '2.0'] as DcosVersion[]) {
    it(`DC/OS ${version}: renders, and every quoted place reads back the exact string`, () => {
      fc.assert(
        fc.property(nasty, (x) => {
          const options: JsonObject = new Map([['x', x]]);
          const r = renderMarathonTemplate({ template: TEMPLATE, config, options, resource: undefined }, renderEra(version));
          assert.ok(r.ok, r.ok ? '' : `${r.kind}: ${r.message}`);
          for (const k of quoted) assert.equal(r.app.get(k), x);
          const nested = r.app.get('nested');
          assert.ok(isJsonObject(nested));
          assert.deepEqual(nested.get('list'), [x, `a ${x} b`]);
        }),
        { numRuns: 400 },
      );
    });
  }
  it('DC/OS 1.9 does not promise this: a quote written with {{{x}}} breaks the JSON', () => {
    const options: JsonObject = new Map([['x', 'say "hi"']]);
    const r = renderMarathonTemplate({ template: TEMPLATE, config, options, resource: undefined }, renderEra('1.9'));
    assert.ok(!r.ok && r.kind === 'json_parse_error');
  });
});

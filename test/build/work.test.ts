/**
 * The build's check parses each package with its config member parsed once per distinct text
 * (parsePackage): it must give what parsing the whole text gives, and fail where that fails.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextMap } from '../../generator/cache.js';
import { parsePackage } from '../../generator/build/work.js';
import type { Span } from '../../generator/build/work.js';

/** A package text in Python's json layout with `config` somewhere among its members, and the config's span. */
function packageText(before: string, config: string, after: string): { text: string; span: Span } {
  const head = `{"packagingVersion": "4.0", "name": "x"${before}, "config": `;
  return { text: `${head}${config}${after}}`, span: [head.length, head.length + config.length] };
}

describe('parsePackage', () => {
  const member = fc.oneof(fc.constant(''), fc.json().map((j) => `, "m": ${j}`));

  it('gives what JSON.parse of the whole text gives, key order included, with configs shared', () => {
    const configs = new TextMap<unknown>(16);
    fc.assert(
      fc.property(member, fc.oneof(fc.json(), fc.constantFrom('{"type": "object"}', '[1, 2]', 'null')), member, (before, config, after) => {
        const { text, span } = packageText(before, config, after);
        const whole = JSON.parse(text) as unknown;
        const parsed = parsePackage(text, span, configs);
        assert.deepEqual(parsed, whole);
        assert.equal(JSON.stringify(parsed), JSON.stringify(whole));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('fails where the whole text fails (a number Python wrote as Infinity, a broken member)', () => {
    const configs = new TextMap<unknown>(16);
    for (const [before, config, after] of [
      ['', '{"default": Infinity}', ''],
      ['', 'NaN', ''],
      [', "m": -Infinity', '{}', ''],
      ['', '{}', ', "m": [1,]'],
    ] as const) {
      const { text, span } = packageText(before, config, after);
      assert.throws(() => JSON.parse(text));
      assert.throws(() => parsePackage(text, span, configs), SyntaxError, text);
    }
  });

  it('parses a config text once, however many packages hold it', () => {
    const configs = new TextMap<unknown>(16);
    const a = packageText('', '{"type": "object", "properties": {}}', '');
    const b = packageText(', "m": 1', '{"type": "object", "properties": {}}', '');
    const pa = parsePackage(a.text, a.span, configs) as { config: unknown };
    const pb = parsePackage(b.text, b.span, configs) as { config: unknown };
    assert.equal(pa.config, pb.config);
  });
});

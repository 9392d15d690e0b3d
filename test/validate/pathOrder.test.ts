/**
 * comparePaths orders exactly as the ICU collator it stands in for (English, numeric), on
 * paths of the alphabet it handles itself and on any other text (which it hands to ICU).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { comparePaths, pathComparator } from '../../generator/validate/pathOrder.js';

const icu = new Intl.Collator('en', { numeric: true });
const agree = (a: string, b: string): boolean => Math.sign(comparePaths(a, b)) === Math.sign(icu.compare(a, b));

/** Paths of letters of both cases, digits (leading zeros included), `-`, `.` and `/`. */
const pathText = fc.array(fc.constantFrom(...'aAbByYzZ0001923456789-./'), { maxLength: 12 }).map((cs) => cs.join(''));

/** A path and a variant that differs in case and leading zeros only, when it differs. */
const nearPair = pathText.chain((a) =>
  fc
    .array(fc.boolean(), { minLength: a.length, maxLength: a.length })
    .map((flips) => [a, a.replace(/./g, (c, i) => (flips[i] === true ? (/[a-z]/.test(c) ? c.toUpperCase() : /\d/.test(c) ? `0${c}` : c) : c))] as const),
);

describe('comparePaths', () => {
  it('orders paths as the ICU collator does', () => {
    fc.assert(fc.property(pathText, pathText, (a, b) => agree(a, b)), { numRuns: 20000 });
  });

  it('orders paths that differ only in case and leading zeros as ICU does', () => {
    fc.assert(fc.property(nearPair, ([a, b]) => agree(a, b) && agree(b, a)), { numRuns: 20000 });
  });

  it('agrees with ICU on any text (punctuation, spaces, accents, long numbers)', () => {
    const anyText = fc.oneof(fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: fc.constantFrom('1', '0', '9'), minLength: 190, maxLength: 270 }));
    fc.assert(fc.property(anyText, anyText, (a, b) => agree(a, b)), { numRuns: 5000 });
  });

  it('sorts a set of paths as ICU does, plain or not, with the comparator chosen once for the set', () => {
    const anyPath = fc.oneof(pathText, fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(fc.oneof(pathText, pathText, anyPath), { maxLength: 12 }), (paths) => {
        const compare = pathComparator(paths);
        for (const a of paths) for (const b of paths) assert.equal(Math.sign(compare(a, b)), Math.sign(icu.compare(a, b)), `${a} ${b}`);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('puts revision 10 after revision 2, and lower case first where only case differs', () => {
    const sorted = ['r/E/e/10', 'r/E/e/2', 'r/E/e/1', 'r/E/E/1', 'r/E/e-x/0'].sort(comparePaths);
    assert.deepEqual(sorted, ['r/E/e-x/0', 'r/E/e/1', 'r/E/E/1', 'r/E/e/2', 'r/E/e/10']);
    assert.equal(comparePaths('p/01', 'p/1'), icu.compare('p/01', 'p/1'));
  });
});

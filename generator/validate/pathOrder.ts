/**
 * The order diagnostics are printed in: by path, numeric-aware (revision 10 after 2), as an
 * ICU collator for English with numeric collation orders them. Making that collator costs
 * some 20 ms (ICU's data is loaded on first use), a fifth of a small run, and paths of a
 * Universe repository are almost always made of letters, digits, `-`, `.` and `/`: for those
 * the order is computed here, the collator is made only for other paths.
 */

// What ICU's root collation orders like this comparator: `-` < `.` < `/` < digits < letters.
const SIMPLE = /^[A-Za-z0-9./-]*$/;
// ICU cuts a number into parts of 254 digits; such numbers are left to it.
const LONG_NUMBER = /\d{200}/;

const simple = (s: string): boolean => SIMPLE.test(s) && !LONG_NUMBER.test(s);

let collator: Intl.Collator | undefined;

function icu(): Intl.Collator {
  collator ??= new Intl.Collator('en', { numeric: true });
  return collator;
}

/** Negative, zero or positive as `new Intl.Collator('en', { numeric: true }).compare(a, b)`. */
export function comparePaths(a: string, b: string): number {
  if (!simple(a) || !simple(b)) return icu().compare(a, b);
  return compareSimple(a, b);
}

/**
 * comparePaths for sorting `paths`: each path is looked at once, not at every comparison; the
 * collator orders them all when one of them is not plain.
 */
export function pathComparator(paths: Iterable<string>): (a: string, b: string) => number {
  for (const p of paths) if (!simple(p)) return icu().compare;
  return compareSimple;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * Letters without case, digit runs as numbers (leading zeros ignored), then shorter first; when
 * that finds them equal, lower case first at the first letter whose case differs (ICU's
 * tertiary level).
 */
function compareSimple(a: string, b: string): number {
  let i = 0;
  let j = 0;
  let caseOrder = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ea = i;
      while (ea < a.length && isDigit(a.charCodeAt(ea))) ea++;
      let eb = j;
      while (eb < b.length && isDigit(b.charCodeAt(eb))) eb++;
      while (i < ea - 1 && a.charCodeAt(i) === 48) i++;
      while (j < eb - 1 && b.charCodeAt(j) === 48) j++;
      if (ea - i !== eb - j) return ea - i < eb - j ? -1 : 1;
      for (; i < ea; i++, j++) {
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d !== 0) return d < 0 ? -1 : 1;
      }
      continue;
    }
    const d = fold(ca) - fold(cb);
    if (d !== 0) return d < 0 ? -1 : 1;
    if (caseOrder === 0 && ca !== cb) caseOrder = ca > cb ? -1 : 1;
    i++;
    j++;
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  return caseOrder;
}

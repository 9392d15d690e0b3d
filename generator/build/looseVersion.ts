/**
 * `distutils.version.LooseVersion` as Python 3 runs it, which is how gen_universe.py compares
 * `minDcosReleaseVersion` with a DC/OS version: the string splits into runs of digits (compared as
 * integers), runs of lower-case letters and any other text (compared as strings), dots dropped.
 * Lists compare element by element; an int meeting a string raises TypeError in Python 3, so
 * such versions are incomparable and the public build crashes on them.
 */

export type LooseComponent = bigint | string;

export class IncomparableVersionsError extends Error {}

// Python: re.compile(r'(\d+ | [a-z]+ | \.)', re.VERBOSE); `\d` is any Unicode decimal digit.
const COMPONENT = /(\p{Nd}+|[a-z]+|\.)/u;
const DIGITS = /^\p{Nd}+$/u;
const IS_DIGIT = /^\p{Nd}$/u;

export function looseVersion(v: string): LooseComponent[] {
  const out: LooseComponent[] = [];
  for (const part of v.split(COMPONENT)) {
    if (part === '' || part === '.') continue;
    out.push(DIGITS.test(part) ? digitsValue(part) : part);
  }
  return out;
}

/** int() of a run of Unicode decimal digits (every script's digits are contiguous runs of ten). */
function digitsValue(s: string): bigint {
  let ascii = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 48 && cp <= 57) {
      ascii += ch;
      continue;
    }
    let zero = cp;
    while (zero > 0 && IS_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
    ascii += String((cp - zero) % 10);
  }
  return BigInt(ascii);
}

function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0) as number;
    const cy = y.value.codePointAt(0) as number;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** -1, 0 or 1 as Python's list comparison; throws IncomparableVersionsError where Python raises. */
export function compareLooseVersions(a: string, b: string): number {
  const x = looseVersion(a);
  const y = looseVersion(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i] as LooseComponent;
    const q = y[i] as LooseComponent;
    if (p === q) continue;
    if (typeof p !== typeof q) {
      throw new IncomparableVersionsError(`cannot compare versions ${JSON.stringify(a)} and ${JSON.stringify(b)}: ${typeof p === 'bigint' ? 'a number' : 'text'} meets ${typeof q === 'bigint' ? 'a number' : 'text'} (${String(p)} vs ${String(q)})`);
    }
    if (typeof p === 'bigint') return p < (q as bigint) ? -1 : 1;
    return compareCodePoints(p, q as string);
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

import { decomposeNumber } from '../../json/value.js';

/** circe gives up on BigInteger beyond this many digits (BiggerDecimal.MaxBigIntegerDigits). */
const MAX_BIG_INTEGER_DIGITS = 1 << 18;
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;

export type JavaNumberKind = 'Integer' | 'BigInteger' | 'Double';

/** A JSON number as the Java object Cosmos hands to mustache.java, with its `toString()`. */
export class JavaNumber {
  constructor(
    readonly kind: JavaNumberKind,
    readonly text: string,
    /** The value as a double, for reflection such as `doubleValue`. */
    readonly approx: number,
  ) {}

  toString(): string {
    return this.text;
  }
}

/**
 * Converts a JSON number lexeme the way Cosmos's jsonToJava does: whole values become
 * BigInteger (1.13+) or Integer when they fit in 32 bits (before), everything else a Double.
 */
export function javaNumberFromJson(lexeme: string, bigIntegers: boolean): JavaNumber {
  const d = decomposeNumber(lexeme);
  const whole = d.exponent >= 0;
  if (whole) {
    if (d.digits === '0') return new JavaNumber(bigIntegers ? 'BigInteger' : 'Integer', '0', 0);
    const length = d.digits.length + d.exponent;
    if (bigIntegers && length <= MAX_BIG_INTEGER_DIGITS) {
      const text = (d.negative ? '-' : '') + d.digits + '0'.repeat(d.exponent);
      return new JavaNumber('BigInteger', text, Number(text));
    }
    if (!bigIntegers && length <= 10) {
      const n = BigInt((d.negative ? '-' : '') + d.digits + '0'.repeat(d.exponent));
      if (n >= INT_MIN && n <= INT_MAX) return new JavaNumber('Integer', n.toString(), Number(n));
    }
  }
  const value = Number(lexeme);
  return new JavaNumber('Double', javaDoubleToString(value), value);
}

/** Java's `Double.toString(double)`: shortest digits, plain for 1e-3 <= |x| < 1e7, else `d.dddE±n`. */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const abs = Math.abs(x);
  // toExponential() without an argument gives the shortest digits that round-trip.
  const [mantissa, expText] = abs.toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  if (digits.length === 1) {
    // Java writes at least two significant digits here, the pair closest to the exact value:
    // 1e-7 is 1.0E-7, but Double.MIN_VALUE (5e-324 shortest) is 4.9E-324.
    const [m2, e2] = abs.toExponential(1).split('e') as [string, string];
    return `${sign}${m2}E${Number(e2)}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1)}E${exp}`;
}

/** Java's `Integer.toString` of a JS int32, and friends, for reflection results. */
export function javaInt(n: number): JavaNumber {
  return new JavaNumber('Integer', String(n | 0), n | 0);
}

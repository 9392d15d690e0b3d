import { javaStringHash } from './mapOrder.js';
import { JavaNumber, javaDoubleToString, javaInt } from './numbers.js';
import { JavaMap, type JavaValue } from './values.js';

export class TemplateRenderError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

export type Member = { found: true; value: JavaValue } | { found: false };
const MISSING: Member = { found: false };
const found = (value: JavaValue): Member => ({ found: true, value });

/**
 * One step of mustache.java's ReflectionObjectHandler: a Map shows only its keys; other objects
 * show their public no-argument methods (`name()`, `getName()`, `isName()`). The methods a
 * template can reach on String, List, Number and Boolean are listed here; names that would
 * reach anything else (getClass, getBytes...) print JVM-specific text and count as missing.
 */
export function javaMember(scope: JavaValue, name: string): Member {
  if (scope === null) return MISSING;
  if (scope instanceof JavaMap) return scope.entries.has(name) ? found(scope.entries.get(name) as JavaValue) : MISSING;
  // mustache.java capitalises the first letter to build getName(): an empty name crashes it.
  if (name === '') throw new TemplateRenderError('empty name segment looked up on a non-object value (mustache.java fails with StringIndexOutOfBoundsException)');
  if (typeof scope === 'string') return stringMember(scope, name);
  if (Array.isArray(scope)) return listMember(scope, name);
  if (scope instanceof JavaNumber) return numberMember(scope, name);
  if (typeof scope === 'boolean') {
    if (name === 'booleanValue') return found(scope);
    if (name === 'toString') return found(scope ? 'true' : 'false');
    if (name === 'hashCode') return found(javaInt(scope ? 1231 : 1237));
  }
  return MISSING;
}

function stringMember(s: string, name: string): Member {
  switch (name) {
    case 'length':
      return found(javaInt(s.length));
    case 'empty':
    case 'isEmpty':
      return found(s.length === 0);
    case 'toString':
    case 'intern':
      return found(s);
    case 'trim': {
      let a = 0;
      let b = s.length;
      while (a < b && s.charCodeAt(a) <= 32) a++;
      while (b > a && s.charCodeAt(b - 1) <= 32) b--;
      return found(s.slice(a, b));
    }
    case 'toLowerCase':
      return found(s.toLowerCase());
    case 'toUpperCase':
      return found(s.toUpperCase());
    case 'hashCode':
      return found(javaInt(javaStringHash(s)));
    default:
      return MISSING;
  }
}

function listMember(l: JavaValue[], name: string): Member {
  switch (name) {
    case 'size':
      return found(javaInt(l.length));
    case 'empty':
    case 'isEmpty':
      return found(l.length === 0);
    default:
      return MISSING;
  }
}

function numberMember(n: JavaNumber, name: string): Member {
  switch (name) {
    case 'toString':
      return found(n.text);
    case 'intValue':
      return found(javaInt(n.kind === 'Double' ? doubleToInt(n.approx) : Number(BigInt.asIntN(32, BigInt(n.text)))));
    case 'doubleValue':
      return found(new JavaNumber('Double', javaDoubleToString(n.approx), n.approx));
    default:
      return MISSING;
  }
}

/** Java's (int) cast of a double: NaN is 0, out-of-range values saturate. */
function doubleToInt(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x);
}

/** Small helpers for plain JSON data (schema documents, and documents as ajv sees them). */
import { pointerFromTokens, pointerTokens } from '../json/pointer.js';
import { JsonNumber, toPlain, type JsonValue, type PlainJson } from '../json/value.js';

export type PlainObject = { [key: string]: PlainJson };

export function isPlainObject(v: PlainJson | undefined): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a JSON pointer, or undefined when there is none. */
export function valueAt(doc: PlainJson, pointer: string): PlainJson | undefined {
  let node: PlainJson | undefined = doc;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(node)) node = /^(0|[1-9]\d*)$/.test(token) ? node[Number(token)] : undefined;
    else if (isPlainObject(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

/** Plain data for ajv: toPlain of generator/json (which keeps V8's fast objects). */
export const plainOf: (v: JsonValue) => PlainJson = toPlain;

/** plainOf without the object members whose value is null; their pointers are returned too. */
export function plainOfWithoutNullMembers(v: JsonValue): { data: PlainJson; nullMembers: string[] } {
  const nullMembers: string[] = [];
  return { data: withoutNulls(v, [], nullMembers), nullMembers };
}

/** `path` holds the tokens down to `v`; a pointer is only made for a null member. */
function withoutNulls(v: JsonValue, path: (string | number)[], nullMembers: string[]): PlainJson {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof JsonNumber) return v.toNumber();
  if (Array.isArray(v)) {
    const out = new Array<PlainJson>(v.length);
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      out[i] = withoutNulls(v[i] as JsonValue, path, nullMembers);
      path.pop();
    }
    return out;
  }
  const out: PlainObject = {};
  for (const [k, member] of v) {
    if (member === null) {
      nullMembers.push(pointerFromTokens([...path, k]));
      continue;
    }
    path.push(k);
    setMember(out, k, withoutNulls(member, path, nullMembers));
    path.pop();
  }
  return out;
}

/** `o[k] = value`, also for the key `__proto__` (which would otherwise set the prototype). */
export function setMember(o: PlainObject, k: string, value: PlainJson): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
  else o[k] = value;
}

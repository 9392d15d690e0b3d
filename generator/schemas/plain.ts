/** Small helpers for plain JSON data (schema documents, and documents as ajv sees them). */
import { pointerTokens } from '../json/pointer.js';
import type { PlainJson } from '../json/value.js';

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

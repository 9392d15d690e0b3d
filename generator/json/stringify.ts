import { JsonNumber, type JsonValue } from './value.js';

/**
 * JSON text with numbers written as spelled in the source (so `1.0E-7` and big integers pass
 * through untouched, as circe passes them to Marathon). `indent` 0 gives compact output.
 */
export function stringifyJson(value: JsonValue, indent = 0): string {
  const parts: string[] = [];
  write(value, indent, '', parts);
  return parts.join('');
}

function write(v: JsonValue, indent: number, pad: string, out: string[]): void {
  if (v === null) out.push('null');
  else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
  else if (typeof v === 'string') out.push(quoteJsonString(v));
  else if (v instanceof JsonNumber) out.push(v.text);
  else if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      if (indent > 0) out.push('\n', inner);
      write(item, indent, inner, out);
    });
    if (indent > 0) out.push('\n', pad);
    out.push(']');
  } else {
    if (v.size === 0) {
      out.push('{}');
      return;
    }
    const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
    out.push('{');
    let first = true;
    for (const [k, item] of v) {
      if (!first) out.push(',');
      first = false;
      if (indent > 0) out.push('\n', inner);
      out.push(quoteJsonString(k), indent > 0 ? ': ' : ':');
      write(item, indent, inner, out);
    }
    if (indent > 0) out.push('\n', pad);
    out.push('}');
  }
}

/** A JSON string literal as JSON.stringify writes it (lone surrogates escaped). */
export function quoteJsonString(s: string): string {
  return JSON.stringify(s);
}

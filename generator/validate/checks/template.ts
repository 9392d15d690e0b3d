/**
 * marathon.json.mustache on its own: it compiles (mustache.java's parser), and every name it
 * looks up is declared in config.json properties or resource.json. An undeclared name renders
 * as empty text in Cosmos, so a typo breaks the app only at install time; real repositories
 * carry many (mostly inside sections that skip them), hence a warning.
 */
import { positionAt } from '../../json/parse.js';
import { pointerTokens } from '../../json/pointer.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../json/value.js';
import { TemplateCompileError, templateNames, type NameUse, type TemplateNode } from '../../render/mustache/ast.js';
import { compileTemplate } from '../../render/mustache/parse.js';
import { finding, type Finding, type Place } from '../findings.js';

const TEMPLATE = 'marathon.json.mustache';

export type CompiledTemplate = { ok: true; nodes: TemplateNode[] } | { ok: false; finding: Finding };

export function compileForCheck(text: string): CompiledTemplate {
  try {
    return { ok: true, nodes: [...compileTemplate(text)] };
  } catch (e) {
    if (!(e instanceof TemplateCompileError)) throw e;
    return { ok: false, finding: finding('template-syntax', TEMPLATE, e.message, { line: e.line, column: e.column }) };
  }
}

/** The names a template may use: dotted paths declared by config.json and resource.json. */
export class DeclaredNames {
  private readonly exact = new Set<string>();
  /** Paths under which anything goes (free-form objects). */
  private readonly open = new Set<string>();

  constructor(config: JsonValue | undefined, resourceView: JsonValue | undefined, extra: readonly string[] = []) {
    if (isJsonObject(config)) this.addSchema(config, '', 0);
    if (resourceView !== undefined && resourceView !== null) {
      this.exact.add('resource');
      this.addValue(resourceView, 'resource', 0);
    }
    for (const name of extra) this.exact.add(name);
  }

  has(path: string): boolean {
    if (this.exact.has(path)) return true;
    for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) {
      if (this.open.has(path.slice(0, i))) return true;
    }
    return false;
  }

  private addSchema(schema: JsonObject, prefix: string, depth: number): void {
    if (depth > 32) return;
    const properties = schema.get('properties');
    if (isJsonObject(properties)) {
      for (const [name, sub] of properties) {
        const path = prefix === '' ? name : `${prefix}.${name}`;
        this.exact.add(path);
        if (isJsonObject(sub)) this.addSchema(sub, path, depth + 1);
      }
    } else if (prefix !== '' && isFreeForm(schema)) {
      this.open.add(prefix);
    }
    // Sections iterate over arrays: their items' properties are looked up by the same path.
    const items = schema.get('items');
    if (prefix !== '' && isJsonObject(items)) this.addSchema(items, prefix, depth + 1);
  }

  private addValue(value: JsonValue, prefix: string, depth: number): void {
    if (depth > 32) return;
    if (isJsonObject(value)) {
      for (const [k, v] of value) {
        if (v === null) continue;
        const path = `${prefix}.${k}`;
        this.exact.add(path);
        this.addValue(v, path, depth + 1);
      }
    } else if (Array.isArray(value)) {
      for (const item of value) this.addValue(item, prefix, depth + 1);
    }
  }
}

/** An object schema without `properties`: any member may come from the options. */
function isFreeForm(schema: JsonObject): boolean {
  const type = schema.get('type');
  const additional = schema.get('additionalProperties');
  return (type === 'object' || type === undefined) && additional !== false;
}

export function checkUndeclared(nodes: readonly TemplateNode[], declared: DeclaredNames, text: string): Finding[] {
  const uses = templateNames(nodes);
  const firstUse = new Map<string, NameUse>();
  const lines = new Map<string, number[]>();
  for (const use of uses) {
    if (use.name === '.' || isDeclared(use, declared)) continue;
    if (!firstUse.has(use.name)) firstUse.set(use.name, use);
    const l = lines.get(use.name) ?? [];
    if (!l.includes(use.line) && l.length < 6) l.push(use.line);
    lines.set(use.name, l);
  }
  const out: Finding[] = [];
  for (const [name, use] of firstUse) {
    const more = (lines.get(name) ?? []).filter((l) => l !== use.line);
    const also = more.length > 0 ? ` (also on line${more.length > 1 ? 's' : ''} ${more.join(', ')})` : '';
    out.push(finding('template-undeclared', TEMPLATE, `{{${name}}} is not declared in config.json properties or resource.json: Cosmos renders it as empty text${also}`, tagPlace(text, use)));
  }
  return out;
}

/**
 * mustache looks a name up in each enclosing section's value, innermost first, then at the
 * root; a name is declared when one of those scopes declares it.
 */
function isDeclared(use: NameUse, declared: DeclaredNames): boolean {
  if (declared.has(use.name)) return true;
  let scopes: string[] = [''];
  for (const section of use.enclosing) {
    const next = new Set<string>();
    for (const s of scopes) {
      const path = s === '' ? section : `${s}.${section}`;
      if (declared.has(path)) next.add(path);
    }
    scopes = [...new Set([...scopes, ...next])];
  }
  return scopes.some((s) => s !== '' && declared.has(`${s}.${use.name}`));
}

/** The line of a name's tag, and its column when the tag is found on that line. */
function tagPlace(text: string, use: NameUse): Place {
  let start = 0;
  for (let l = 1; l < use.line && start >= 0; l++) {
    const nl = text.indexOf('\n', start);
    start = nl < 0 ? -1 : nl + 1;
  }
  if (start < 0) return { line: use.line };
  const end = text.indexOf('\n', start);
  const lineText = text.slice(start, end < 0 ? text.length : end);
  const escaped = use.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`[#^&{/]?\\s*${escaped}\\s*\\}`).exec(lineText);
  const col = m === null ? lineText.indexOf(use.name) : m.index;
  return col < 0 ? { line: use.line } : { line: use.line, column: col + 1 };
}

/**
 * Where a member of the rendered app most likely comes from in the template: the member
 * names of the pointer, searched as `"name"` one after the other. Undefined when not found.
 */
export function templatePlaceOf(text: string, pointer: string): Place {
  let tokens: string[];
  try {
    tokens = pointerTokens(pointer);
  } catch {
    return { pointer };
  }
  let pos = -1;
  let from = 0;
  for (const token of tokens) {
    if (/^(0|[1-9]\d*)$/.test(token)) continue;
    const i = text.indexOf(JSON.stringify(token), from);
    if (i < 0) break;
    pos = i;
    from = i + 1;
  }
  if (pos < 0) return { pointer };
  const at = positionAt(text, pos);
  return { pointer, line: at.line, column: at.column };
}

/**
 * From ajv's errors to SchemaProblems: one finding per real mistake, pointing at the member
 * at fault, in plain English. Runs only when a document failed, so it may re-validate.
 */
import type { ErrorObject } from 'ajv';
import { joinPointer, pointerTokens } from '../json/pointer.js';
import type { PlainJson } from '../json/value.js';
import { isPlainObject } from './plain.js';
import { schemaPointerOf, schemaValidator, type SchemaFile } from './registry.js';

export interface SchemaProblem {
  /** JSON pointer into the document to the member at fault (for `required`, the missing one). */
  pointer: string;
  /** JSON pointer into the schema file to the keyword that refused it. */
  schemaPointer: string;
  /** The schema keyword: `required`, `type`, `enum`, `additionalProperties`, ... or `deprecated`. */
  keyword: string;
  message: string;
}

/** An ajv error whose instancePath is relative to the document at `base`. */
interface Located {
  error: ErrorObject;
  base: string;
}

/** A problem made here rather than by ajv; its message still lacks the member's name. */
type Finding = Located | { problem: SchemaProblem };

/**
 * Explains the errors of `schemaValidator(file)` on `data`. `documentName` names the whole
 * document in messages (`package.json`, `the app`).
 */
export function explainErrors(file: SchemaFile, errors: readonly ErrorObject[], data: PlainJson, documentName: string): SchemaProblem[] {
  return resolveAlternatives(file, errors, '').map((f) =>
    'problem' in f ? { ...f.problem, message: `${memberName(data, f.problem.pointer, documentName)} ${f.problem.message}` } : toProblem(file, f, data, documentName),
  );
}

/**
 * A failed oneOf/anyOf comes with the errors of every alternative just before it (ajv keeps
 * them in order). They are replaced by the errors of the one alternative the data was meant
 * for, re-validated on its own, or by one merged problem when the data fits none of them.
 */
function resolveAlternatives(file: SchemaFile, errors: readonly ErrorObject[], base: string): Finding[] {
  const out: Finding[] = [];
  for (let i = errors.length - 1; i >= 0; ) {
    const e = errors[i] as ErrorObject;
    const replaced = e.keyword === 'oneOf' || e.keyword === 'anyOf' ? explainAlternatives(file, errors, i, base) : undefined;
    if (replaced === undefined) {
      out.push({ error: e, base });
      i--;
    } else {
      out.push(...replaced.findings.reverse());
      i -= replaced.consumed;
    }
  }
  return out.reverse();
}

function explainAlternatives(
  file: SchemaFile,
  errors: readonly ErrorObject[],
  at: number,
  base: string,
): { findings: Finding[]; consumed: number } | undefined {
  const e = errors[at] as ErrorObject;
  const where = schemaPointerOf(file, e.parentSchema);
  if (where === undefined || !Array.isArray(e.schema)) return undefined;
  const data = e.data as PlainJson;
  const branches = e.schema.map((_, k) => {
    const validate = schemaValidator(file, `${where}/${e.keyword}/${k}`);
    return validate(data) ? [] : [...(validate.errors ?? [])];
  });
  const blockSize = branches.reduce((n, b) => n + b.length, 0);
  const block = errors.slice(at - blockSize, at);
  if (blockSize > at || !block.every((b) => b.instancePath.startsWith(e.instancePath))) return undefined;
  const consumed = blockSize + 1;
  // A `type` of the same schema already says what is wrong (`packages[3]` must be an object).
  if (errors.some((o) => o.keyword === 'type' && o.instancePath === e.instancePath && o.parentSchema === e.parentSchema)) {
    return { findings: [], consumed };
  }
  const here = base + e.instancePath;
  const schemaPointer = `${where}/${e.keyword}`;
  const passing = (e.params as { passingSchemas?: unknown }).passingSchemas;
  if (Array.isArray(passing)) {
    const problem = { pointer: here, schemaPointer, keyword: e.keyword, message: `matches more than one of the allowed forms (${passing.join(' and ')})` };
    return { findings: [{ problem }], consumed };
  }
  const misfits = branches.map(misfit);
  const candidates = branches.map((b, k) => ({ b, k })).filter(({ k }) => misfits[k] === undefined);
  if (candidates.length > 0) {
    const best = candidates.reduce((a, c) => (c.b.length < a.b.length ? c : a));
    return { findings: resolveAlternatives(file, best.b, here), consumed };
  }
  return { findings: [{ problem: mergedMisfit(misfits as ErrorObject[], here, schemaPointer, e.keyword, data) }], consumed };
}

/**
 * The error that shows an alternative is not the one meant: the data has another JSON type,
 * or a constant (a one-value enum, e.g. `packagingVersion`) at the top or one level down
 * differs.
 */
function misfit(errors: readonly ErrorObject[]): ErrorObject | undefined {
  return errors.find(
    (x) =>
      (x.keyword === 'type' && x.instancePath === '') ||
      (x.keyword === 'enum' && pointerTokens(x.instancePath).length <= 1 && Array.isArray(x.schema) && x.schema.length === 1),
  );
}

function mergedMisfit(misfits: ErrorObject[], pointer: string, schemaPointer: string, keyword: string, data: PlainJson): SchemaProblem {
  const first = misfits[0] as ErrorObject;
  if (first.instancePath !== '' && misfits.every((m) => m.keyword === 'enum' && m.instancePath === first.instancePath)) {
    const allowed = misfits.flatMap((m) => m.schema as PlainJson[]);
    return { pointer: pointer + first.instancePath, schemaPointer, keyword: 'enum', message: `must be ${oneOfValues(allowed)} (found ${preview(first.data as PlainJson)})` };
  }
  const forms = [...new Set(misfits.map((m) => (m.keyword === 'type' ? typePhrase(m.params.type) : oneOfValues(m.schema as PlainJson[]))))];
  return { pointer, schemaPointer, keyword, message: `must be ${joinOr(forms)} (found ${preview(data)})` };
}

function toProblem(file: SchemaFile, { error: e, base }: Located, root: PlainJson, documentName: string): SchemaProblem {
  const params = e.params as Record<string, unknown>;
  let pointer = base + e.instancePath;
  if (e.keyword === 'required' || e.keyword === 'dependencies') pointer = joinPointer(pointer, String(params.missingProperty));
  if (e.keyword === 'additionalProperties') pointer = joinPointer(pointer, String(params.additionalProperty));
  const at = schemaPointerOf(file, e.parentSchema);
  const schemaPointer = at === undefined ? decodeURIComponent(e.schemaPath.replace(/^#/, '')) : joinPointer(at, e.keyword);
  return { pointer, schemaPointer, keyword: e.keyword, message: `${memberName(root, pointer, documentName)} ${describe(e)}` };
}

/** What is wrong, as the end of a sentence that starts with the member's name. */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const data = e.data as PlainJson;
  const parent = (typeof e.parentSchema === 'object' && e.parentSchema !== null ? e.parentSchema : {}) as Record<string, unknown>;
  const hint = typeof parent.description === 'string' ? ` (${parent.description.replace(/\.$/, '')})` : '';
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known property here';
    case 'type':
      return `must be ${typePhrase(p.type)}, not ${kindOf(data)}`;
    case 'enum':
      return `must be ${oneOfValues(e.schema as PlainJson[])} (found ${preview(data)})`;
    case 'pattern':
      return `does not match the pattern ${String(p.pattern)}${hint} (found ${preview(data)})`;
    case 'format':
      return `must be a valid ${String(p.format)}${hint} (found ${preview(data)})`;
    case 'minimum':
    case 'maximum': {
      const words: Record<string, string> = { '>=': 'at least', '>': 'greater than', '<=': 'at most', '<': 'less than' };
      return `must be ${words[String(p.comparison)] ?? String(p.comparison)} ${String(p.limit)} (found ${preview(data)})`;
    }
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)} (found ${preview(data)})`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long (found ${preview(data)})`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'minItems':
      return `must have at least ${plural(p.limit, 'item')}`;
    case 'maxItems':
    case 'additionalItems':
      return `must have at most ${plural(p.limit, 'item')}`;
    case 'minProperties':
      return `must have at least ${plural(p.limit, 'member')}`;
    case 'maxProperties':
      return `must have at most ${plural(p.limit, 'member')}`;
    case 'uniqueItems':
      return `must not repeat a value (items ${String(p.j)} and ${String(p.i)} are equal)`;
    case 'dependencies':
      return `is required when \`${String(p.property)}\` is present`;
    case 'not': {
      const excluded = (e.schema as { required?: unknown }).required;
      return Array.isArray(excluded) && Object.keys(e.schema as object).every((k) => k === 'required' || k === 'description')
        ? `must not have ${excluded.map((n) => `\`${String(n)}\``).join(' and ')} together`
        : 'matches a form that is not allowed';
    }
    case 'oneOf':
    case 'anyOf':
      return `does not match any of the allowed forms (found ${preview(data)})`;
    default:
      return e.message ?? 'is not valid';
  }
}

/** `container.docker.image`, `tags[2]`, `env["MY VAR"]`, or the document's name for ''. */
export function memberName(root: PlainJson, pointer: string, documentName: string): string {
  if (pointer === '') return documentName;
  let node: PlainJson | undefined = root;
  let name = '';
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token)) {
      name += `[${token}]`;
      node = node[Number(token)];
    } else {
      name += /^[A-Za-z_$][\w$-]*$/.test(token) ? `${name === '' ? '' : '.'}${token}` : `[${JSON.stringify(token)}]`;
      node = isPlainObject(node) && Object.hasOwn(node, token) ? node[token] : undefined;
    }
  }
  return `\`${name}\``;
}

const TYPE_PHRASES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typePhrase(type: unknown): string {
  const names = Array.isArray(type) ? type.map(String) : String(type).split(',');
  return joinOr(names.map((t) => TYPE_PHRASES[t] ?? t));
}

function kindOf(v: PlainJson): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'object') return 'an object';
  return `${TYPE_PHRASES[typeof v] ?? typeof v} (${preview(v)})`;
}

function oneOfValues(values: readonly PlainJson[]): string {
  const shown = [...new Set(values.map((v) => JSON.stringify(v)))];
  return shown.length === 1 ? (shown[0] as string) : `one of ${shown.join(', ')}`;
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] as string}`;
}

function plural(n: unknown, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** A short JSON rendering of a value for messages. */
export function preview(v: PlainJson | undefined): string {
  if (v === undefined) return 'nothing';
  const text = Array.isArray(v) ? `an array of ${plural(v.length, 'item')}` : typeof v === 'object' && v !== null ? 'an object' : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

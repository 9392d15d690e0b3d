/**
 * Validation of Marathon app definitions against `schemas/marathon/app.json`, which gives the
 * verdicts of Marathon's own AppDefinition schema. Findings are split the way a package
 * author needs them: wrong types, bad values and missing data are errors; members Marathon's
 * schema does not know, and deprecated members, are warnings.
 */
import { joinPointer } from '../json/pointer.js';
import type { JsonValue, PlainJson } from '../json/value.js';
import { isPlainObject, plainOf, plainOfWithoutNullMembers, valueAt } from './plain.js';
import { explainErrors, memberName, type SchemaProblem } from './problems.js';
import { schemaDocument, schemaValidator, type SchemaFile } from './registry.js';

const APP_SCHEMA: SchemaFile = 'marathon/app.json';
const DOCUMENT_NAME = 'the app';

export interface MarathonAppReport {
  errors: SchemaProblem[];
  warnings: SchemaProblem[];
}

export interface MarathonAppOptions {
  /**
   * Read members whose value is null as absent (as Marathon's JSON reader does) and warn
   * about them, instead of reporting a type error. Off by default: Marathon's schema
   * refuses them.
   */
  nullAsAbsent?: boolean;
}

export function validateMarathonApp(app: JsonValue, options: MarathonAppOptions = {}): MarathonAppReport {
  const { data, nullMembers } = options.nullAsAbsent ? plainOfWithoutNullMembers(app) : { data: plainOf(app), nullMembers: [] };
  const warnings: SchemaProblem[] = nullMembers.map((pointer) => ({
    pointer,
    schemaPointer: '',
    keyword: 'null',
    message: `${memberName(data, pointer, DOCUMENT_NAME)} is null; Marathon reads it as absent`,
  }));
  const errors: SchemaProblem[] = [];
  const check = schemaValidator(APP_SCHEMA);
  if (!check(data)) {
    for (const problem of explainErrors(APP_SCHEMA, [...(check.errors ?? [])], data, DOCUMENT_NAME)) {
      if (problem.keyword === 'additionalProperties') {
        warnings.push({ ...problem, message: `${memberName(data, problem.pointer, DOCUMENT_NAME)} is not a field of Marathon's app schema` });
      } else {
        errors.push(problem);
      }
    }
  }
  warnings.push(...deprecatedMembers(data));
  return { errors, warnings };
}

interface Deprecation {
  /** Member names from the app's root; '*' is any member or item. */
  path: string[];
  schemaPointer: string;
  reason: string;
}

let deprecations: Deprecation[] | undefined;

/** Every member the schema marks `deprecated`, found by walking properties, items and $refs. */
function schemaDeprecations(): Deprecation[] {
  if (deprecations !== undefined) return deprecations;
  const doc = schemaDocument(APP_SCHEMA);
  const found: Deprecation[] = [];
  const walk = (node: PlainJson | undefined, at: string, path: string[], active: Set<string>): void => {
    if (!isPlainObject(node) || active.has(at)) return;
    active.add(at);
    if (node.deprecated === true) {
      found.push({ path, schemaPointer: joinPointer(at, 'deprecated'), reason: typeof node['x-deprecation'] === 'string' ? node['x-deprecation'] : 'it has been replaced.' });
    }
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#')) {
      const target = decodeURIComponent(ref.slice(1));
      walk(valueAt(doc, target), target, path, active);
    }
    if (isPlainObject(node.properties)) {
      for (const [name, sub] of Object.entries(node.properties)) walk(sub, joinPointer(joinPointer(at, 'properties'), name), [...path, name], active);
    }
    if (isPlainObject(node.items)) walk(node.items, joinPointer(at, 'items'), [...path, '*'], active);
    if (isPlainObject(node.additionalProperties)) walk(node.additionalProperties, joinPointer(at, 'additionalProperties'), [...path, '*'], active);
    active.delete(at);
  };
  walk(doc, '', [], new Set());
  return (deprecations = found);
}

function deprecatedMembers(app: PlainJson): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const d of schemaDeprecations()) {
    for (const pointer of matches(app, d.path, '')) {
      out.push({ pointer, schemaPointer: d.schemaPointer, keyword: 'deprecated', message: `${memberName(app, pointer, DOCUMENT_NAME)} is deprecated: ${d.reason}` });
    }
  }
  return out.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

function matches(value: PlainJson | undefined, path: readonly string[], pointer: string): string[] {
  if (path.length === 0) return value === undefined ? [] : [pointer];
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) return head === '*' ? value.flatMap((v, i) => matches(v, rest, joinPointer(pointer, i))) : [];
  if (!isPlainObject(value)) return [];
  if (head === '*') return Object.entries(value).flatMap(([k, v]) => matches(v, rest, joinPointer(pointer, k)));
  return Object.hasOwn(value, head) ? matches(value[head], rest, joinPointer(pointer, head)) : [];
}

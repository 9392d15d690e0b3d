/**
 * Validation of Universe files and repository documents against the project's schemas
 * (`schemas/universe/`), which accept and refuse exactly what the official Universe schemas do.
 */
import { JsonNumber, type JsonValue, type PlainJson } from '../json/value.js';
import { isPlainObject, plainOf, setMember, type PlainObject } from './plain.js';
import { explainErrors, type SchemaProblem } from './problems.js';
import { schemaDocument, schemaFilePath, schemaValidator, type SchemaFile } from './registry.js';

export type UniverseFileKind = 'package' | 'config' | 'v2-resource' | 'v3-resource' | 'command';
export type UniverseRepoVersion = 'v3' | 'v4' | 'v5';

const FILE_SCHEMAS: Record<UniverseFileKind, { file: SchemaFile; documentName: string }> = {
  package: { file: 'universe/package-schema.json', documentName: 'package.json' },
  config: { file: 'universe/config-schema.json', documentName: 'config.json' },
  'v2-resource': { file: 'universe/v2-resource-schema.json', documentName: 'resource.json' },
  'v3-resource': { file: 'universe/v3-resource-schema.json', documentName: 'resource.json' },
  command: { file: 'universe/command-schema.json', documentName: 'command.json' },
};

const REPO_SCHEMAS: Record<UniverseRepoVersion, SchemaFile> = {
  v3: 'universe/v3-repo-schema.json',
  v4: 'universe/v4-repo-schema.json',
  v5: 'universe/v5-repo-schema.json',
};

/** The resource.json schema of a packaging version: v2 for 2.0, v3 for everything later. */
export function resourceSchemaKind(packagingVersion: string | undefined): 'v2-resource' | 'v3-resource' {
  return packagingVersion === '2.0' ? 'v2-resource' : 'v3-resource';
}

/** Problems of one file of a revision (none when it is valid). */
export function validateUniverseFile(kind: UniverseFileKind, value: JsonValue): SchemaProblem[] {
  const { file, documentName } = FILE_SCHEMAS[kind];
  const data = plainOf(value);
  const form = kind === 'package' ? packageForm(data) : undefined;
  return validate(file, data, documentName, form);
}

let packageForms: Map<string, string> | null | undefined;

/**
 * The definition a package.json must match, when its packagingVersion names one: the schema is
 * an object type and a oneOf of forms that each require a different one-value packagingVersion
 * enum, so every other form fails and the oneOf holds exactly when that form does. Checking the
 * one form costs a fifth of the whole oneOf (and its problems need no untangling).
 */
function packageForm(data: PlainJson): string | undefined {
  const version = isPlainObject(data) ? data.packagingVersion : undefined;
  if (typeof version !== 'string') return undefined;
  packageForms ??= discriminatedForms(schemaDocument(FILE_SCHEMAS.package.file));
  return packageForms?.get(version);
}

/** packagingVersion -> pointer of its form, or null when the schema does not have the shape above. */
function discriminatedForms(doc: PlainJson): Map<string, string> | null {
  if (!isPlainObject(doc) || doc.type !== 'object' || !Array.isArray(doc.oneOf) || !isPlainObject(doc.definitions)) return null;
  const checked = new Set(['type', 'oneOf', 'definitions', '$schema', 'title', 'description']);
  if (Object.keys(doc).some((k) => !checked.has(k))) return null;
  const forms = new Map<string, string>();
  for (const branch of doc.oneOf) {
    const ref = isPlainObject(branch) && Object.keys(branch).length === 1 ? branch.$ref : undefined;
    const name = typeof ref === 'string' ? /^#\/definitions\/([^/~%]+)$/.exec(ref)?.[1] : undefined;
    const form = name === undefined ? undefined : doc.definitions[name];
    if (!isPlainObject(form) || !Array.isArray(form.required) || !form.required.includes('packagingVersion')) return null;
    const pv = isPlainObject(form.properties) ? form.properties.packagingVersion : undefined;
    const values = isPlainObject(pv) && Object.keys(pv).every((k) => k === 'enum' || k === 'description') ? pv.enum : undefined;
    if (!Array.isArray(values) || values.length !== 1 || typeof values[0] !== 'string' || forms.has(values[0])) return null;
    forms.set(values[0], `/definitions/${name as string}`);
  }
  return forms;
}

/** Problems of a repository document (`{"packages": [...]}`) in format v3, v4 or v5. */
export function validateUniverseRepo(version: UniverseRepoVersion, value: JsonValue | PlainJson): SchemaProblem[] {
  return validate(REPO_SCHEMAS[version], asPlain(value), 'the repository');
}

/** Absolute path of the schema file for a kind of revision file. */
export function universeFileSchemaPath(kind: UniverseFileKind): string {
  return schemaFilePath(FILE_SCHEMAS[kind].file);
}

/** Absolute path of `schemas/universe/vN-repo-schema.json` (self-contained, draft-04). */
export function universeRepoSchemaPath(version: UniverseRepoVersion): string {
  return schemaFilePath(REPO_SCHEMAS[version]);
}

function validate(file: SchemaFile, data: PlainJson, documentName: string, fragment = ''): SchemaProblem[] {
  const check = schemaValidator(file, fragment);
  if (check(data)) return [];
  return explainErrors(file, [...(check.errors ?? [])], data, documentName);
}

/** Plain data for ajv; parts that already are plain are used as they are, not copied. */
function asPlain(v: JsonValue | PlainJson): PlainJson {
  if (v instanceof Map || v instanceof JsonNumber) return plainOf(v);
  if (Array.isArray(v)) {
    const items = v as (JsonValue | PlainJson)[];
    let out: PlainJson[] | undefined;
    items.forEach((item, i) => {
      const p = asPlain(item);
      if (p !== item) (out ??= items.slice() as PlainJson[])[i] = p;
    });
    return out ?? (items as PlainJson[]);
  }
  if (typeof v === 'object' && v !== null) {
    let out: PlainObject | undefined;
    for (const [k, item] of Object.entries(v)) {
      const p = asPlain(item);
      if (p === item) continue;
      out ??= { ...v };
      setMember(out, k, p);
    }
    return out ?? v;
  }
  return v;
}

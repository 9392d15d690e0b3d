/**
 * The project's own JSON Schemas (`schemas/` at the package root) and their compiled
 * validators. Everything here is lazy: ajv is loaded, and a schema compiled, on the first
 * validation that needs it, so commands that validate nothing never pay for it.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { escapePointerToken } from '../json/pointer.js';
import type { PlainJson } from '../json/value.js';

/** Every schema file of the project, relative to `schemas/`. */
export const SCHEMA_FILES = [
  'universe/package-schema.json',
  'universe/config-schema.json',
  'universe/v2-resource-schema.json',
  'universe/v3-resource-schema.json',
  'universe/command-schema.json',
  'universe/v3-repo-schema.json',
  'universe/v4-repo-schema.json',
  'universe/v5-repo-schema.json',
  'marathon/app.json',
] as const;
export type SchemaFile = (typeof SCHEMA_FILES)[number];

/**
 * The ajv settings every schema of the project is compiled with: draft-04 (ajv-draft-04),
 * unknown keywords ignored (`strict: false`; the schemas carry annotations such as
 * `deprecated`), regular expressions without the `u` flag (ECMA 262, as the JVM and Python
 * validators of Cosmos and the Universe read them), and errors that keep the schema object
 * they come from (`verbose`) so a problem can point into the schema file. ajv's code
 * optimizer is off: it costs about 40% of the compile time (some 150 ms for the schemas a
 * validator run needs) and, measured on the corpus, buys no validation speed.
 */
export const AJV_OPTIONS = {
  strict: false,
  allErrors: true,
  verbose: true,
  validateSchema: false,
  unicodeRegExp: false,
  logger: false,
  code: { optimize: false },
} as const;

/** The formats the schemas use, as ajv-formats implements them. */
export const AJV_FORMATS = ['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'regex', 'uri'] as const;

/** The part of ajv this project uses. */
export interface AjvInstance {
  addSchema(schema: object, key?: string): unknown;
  getSchema(keyRef: string): ValidateFunction | undefined;
  compile(schema: object): ValidateFunction;
  validateSchema(schema: object): boolean | Promise<unknown>;
  addKeyword(definition: object): unknown;
  removeKeyword(keyword: string): unknown;
  errors?: ErrorObject[] | null;
}

/**
 * A new ajv-draft-04 instance with ajv-formats, set up as AJV_OPTIONS (plus `overrides`), whose
 * uniqueItems compares items as JSON values (see jsonUniqueItems).
 */
export function createAjv(overrides: Record<string, unknown> = {}): AjvInstance {
  const require = createRequire(import.meta.url);
  const Ajv04 = (require('ajv-draft-04') as { default: new (options: Record<string, unknown>) => AjvInstance }).default;
  const addFormats = (require('ajv-formats') as { default: (ajv: AjvInstance, formats: string[]) => void }).default;
  const ajv = new Ajv04({ ...AJV_OPTIONS, ...overrides });
  addFormats(ajv, [...AJV_FORMATS]);
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(jsonUniqueItems);
  return ajv;
}

type KeywordCheck = ((data: PlainJson[]) => boolean) & { errors?: Partial<ErrorObject>[] };

/**
 * uniqueItems by JSON equality. ajv's own uses fast-deep-equal, which calls an object's own
 * `valueOf` or `toString` member and so throws on valid JSON such as `[{}, {"valueOf": 1}]`
 * (ajv issue 2624), and takes an own `constructor` member for the object's class. A config.json
 * can hold such members (in an `enum`), so the check must not depend on them. Items are
 * compared from the end, as ajv does, and the error has the shape of ajv's.
 */
export const jsonUniqueItems = {
  keyword: 'uniqueItems',
  type: 'array',
  schemaType: 'boolean',
  errors: true,
  compile(schema: boolean, parentSchema: object): KeywordCheck {
    const check: KeywordCheck = (data) => {
      if (!schema) return true;
      for (let i = data.length - 1; i > 0; i--) {
        for (let j = i - 1; j >= 0; j--) {
          if (jsonEqual(data[i] as PlainJson, data[j] as PlainJson)) {
            check.errors = [{ keyword: 'uniqueItems', params: { i, j }, message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, parentSchema }];
            return false;
          }
        }
      }
      return true;
    };
    return check;
  },
};

function jsonEqual(a: PlainJson, b: PlainJson): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i] as PlainJson));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k] as PlainJson, b[k] as PlainJson));
}

/** `schemas/` of this package: two levels above this module in the sources, three in dist/. */
export const SCHEMAS_DIR: string = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../schemas'), path.resolve(here, '../../../schemas')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'universe'))) ?? (candidates[0] as string);
})();

export function schemaFilePath(file: SchemaFile): string {
  return path.join(SCHEMAS_DIR, file);
}

/** Milliseconds spent, for `bench` and the tests that keep compile cost in check. */
export interface SchemaTimings {
  /** Loading ajv, ajv-draft-04 and ajv-formats (once per process). */
  loadAjv: number | undefined;
  /** Reading, parsing and compiling each schema file that has been used (with the parts compiled on their own). */
  compile: Partial<Record<SchemaFile, number>>;
}

const timings: SchemaTimings = { loadAjv: undefined, compile: {} };

export function schemaTimings(): SchemaTimings {
  return { loadAjv: timings.loadAjv, compile: { ...timings.compile } };
}

let shared: AjvInstance | undefined;

function ajv(): AjvInstance {
  if (shared === undefined) {
    const start = performance.now();
    shared = createAjv();
    timings.loadAjv = performance.now() - start;
  }
  return shared;
}

const documents = new Map<SchemaFile, PlainJson>();

/** The parsed schema file (the very object ajv compiled, so errors' `parentSchema` is inside it). */
export function schemaDocument(file: SchemaFile): PlainJson {
  let doc = documents.get(file);
  if (doc === undefined) {
    doc = JSON.parse(fs.readFileSync(schemaFilePath(file), 'utf8')) as PlainJson;
    documents.set(file, doc);
  }
  return doc;
}

const validators = new Map<string, ValidateFunction>();
const added = new Set<SchemaFile>();

/**
 * The validator of a schema file, or of the sub-schema at `fragment` (a JSON pointer into
 * the file), compiled on first use and kept for the life of the process.
 */
export function schemaValidator(file: SchemaFile, fragment = ''): ValidateFunction {
  const key = `${file}#${fragment}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    const instance = ajv();
    const start = performance.now();
    if (!added.has(file)) {
      instance.addSchema(schemaDocument(file) as object, file);
      added.add(file);
    }
    const ref = fragment === '' ? file : `${file}#${fragment.split('/').map((t) => encodeURIComponent(t)).join('/')}`;
    validate = instance.getSchema(ref);
    if (validate === undefined) throw new Error(`no schema at ${ref}`);
    validators.set(key, validate);
    timings.compile[file] = (timings.compile[file] ?? 0) + performance.now() - start;
  }
  return validate;
}

const pointerIndexes = new Map<SchemaFile, WeakMap<object, string>>();

/** Where a schema object (an error's `parentSchema`) sits in its file, as a JSON pointer. */
export function schemaPointerOf(file: SchemaFile, node: unknown): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  let index = pointerIndexes.get(file);
  if (index === undefined) {
    const built = new WeakMap<object, string>();
    const visit = (value: PlainJson, pointer: string): void => {
      if (typeof value !== 'object' || value === null) return;
      if (!built.has(value)) built.set(value, pointer);
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${pointer}/${i}`));
      else for (const [k, v] of Object.entries(value)) visit(v, `${pointer}/${escapePointerToken(k)}`);
    };
    visit(schemaDocument(file), '');
    pointerIndexes.set(file, (index = built));
  }
  return index.get(node);
}

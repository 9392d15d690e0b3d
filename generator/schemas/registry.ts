/**
 * The project's own JSON Schemas (`schemas/` at the package root) and their compiled
 * validators. Everything here is lazy: ajv is loaded, and a schema compiled, on the first
 * validation that needs it, so commands that validate nothing never pay for it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { ErrorObject, KeywordDefinition, Name, ValidateFunction } from 'ajv';
import { escapePointerToken } from '../json/pointer.js';
import { PACKAGE_ROOT } from '../packageRoot.js';
import { valueAt } from './plain.js';
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
  code: { optimize: false, regExp: schemaRegExp },
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
 * uniqueItems compares items as JSON values (see duplicateItems).
 */
export function createAjv(overrides: Record<string, unknown> = {}): AjvInstance {
  const require = createRequire(import.meta.url);
  const Ajv04 = (require('ajv-draft-04') as { default: new (options: Record<string, unknown>) => AjvInstance }).default;
  const addFormats = (require('ajv-formats') as { default: (ajv: AjvInstance, formats: string[]) => void }).default;
  const codegen = require('ajv/dist/compile/codegen/index.js') as typeof import('ajv/dist/compile/codegen/index.js');
  const { useFunc } = require('ajv/dist/compile/util.js') as typeof import('ajv/dist/compile/util.js');
  const code = { ...AJV_OPTIONS.code, ...(overrides.code as object | undefined) };
  const ajv = new Ajv04({ ...AJV_OPTIONS, ...overrides, code });
  addFormats(ajv, [...AJV_FORMATS]);
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(jsonUniqueItems(codegen, useFunc));
  return ajv;
}

/**
 * Two equal items of an array as JSON values, `[i, j]` with j < i (the last such i, as ajv
 * compares from the end), or undefined. ajv's own uniqueItems uses fast-deep-equal, which calls
 * an object's own `valueOf` or `toString` member and so throws on valid JSON such as
 * `[{}, {"valueOf": 1}]` (ajv issue 2624), and takes an own `constructor` member for the
 * object's class; a config.json can hold such members (in an `enum`). Self-contained: its
 * source is copied into precompiled validators (precompile.ts).
 */
export function duplicateItems(data: readonly unknown[]): [number, number] | undefined {
  const equal = (a: unknown, b: unknown): boolean => {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) || Array.isArray(b)) {
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
    }
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  };
  for (let i = data.length - 1; i > 0; i--) {
    for (let j = i - 1; j >= 0; j--) if (equal(data[i], data[j])) return [i, j];
  }
  return undefined;
}

/**
 * The regular expressions of `pattern` keywords (ajv's `code.regExp`): RegExp, but for the
 * base64 pattern of the repo schemas' `v2AppMustacheTemplate`, which V8's backtracking engine
 * runs at some 7 ns a character (a tenth of the build's schema check) and which is tested here
 * by a loop with the same verdicts. Self-contained: its source is copied into precompiled
 * validators (precompile.ts).
 */
export function schemaRegExp(pattern: string, flags: string): { test(s: string): boolean; toString(): string } {
  const base64 = '^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$';
  if (pattern !== base64 || flags !== '') return new RegExp(pattern, flags);
  return {
    test(s: string): boolean {
      const n = s.length;
      if (n < 4 || n % 4 !== 0) return false;
      // Canonical base64 (what the Universe build writes) comes back unchanged from a decode
      // and an encode, which node does natively, five times faster than the loop below; the
      // loop decides for everything else (non-canonical last characters, invalid text).
      if (Buffer.from(s, 'base64').toString('base64') === s) return true;
      const pad = s.charCodeAt(n - 1) !== 61 ? 0 : s.charCodeAt(n - 2) === 61 ? 2 : 1;
      for (let i = 0; i < n - pad; i++) {
        const c = s.charCodeAt(i);
        // A-Z, a-z, 0-9, + and /
        if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)) return false;
      }
      return true;
    },
    toString: () => `/${pattern}/${flags}`,
  };
}

type Codegen = typeof import('ajv/dist/compile/codegen/index.js');
type UseFunc = typeof import('ajv/dist/compile/util.js').useFunc;

/**
 * uniqueItems by JSON equality (duplicateItems), with ajv's error shape. A code-generating
 * keyword, so that standalone validators can be made from it (precompile.ts gives the function
 * its code there).
 */
function jsonUniqueItems(codegen: Codegen, useFunc: UseFunc): KeywordDefinition {
  const { _, str } = codegen;
  return {
    keyword: 'uniqueItems',
    type: 'array',
    schemaType: 'boolean',
    error: {
      message: ({ params }) => str`must NOT have duplicate items (items ## ${params.j as Name} and ${params.i as Name} are identical)`,
      params: ({ params }) => _`{i: ${params.i as Name}, j: ${params.j as Name}}`,
    },
    code(cxt) {
      if (cxt.schema !== true) return;
      const pair = cxt.gen.const('pair', _`${useFunc(cxt.gen, duplicateItems as unknown as { code: string })}(${cxt.data})`);
      cxt.setParams({ i: _`${pair}[0]`, j: _`${pair}[1]` });
      cxt.fail(_`${pair} !== undefined`);
    },
  };
}

/** `schemas/` of this package. */
export const SCHEMAS_DIR: string = path.join(PACKAGE_ROOT, 'schemas');

export function schemaFilePath(file: SchemaFile): string {
  return path.join(SCHEMAS_DIR, file);
}

/**
 * The two sets of ajv settings validators are made with. `explain` (AJV_OPTIONS) keeps every
 * error and the schema object it comes from, to tell an author what is wrong and where;
 * `verdict` stops at the first error and compiles each `$ref` target once (the build's yes/no
 * check of every package, see build/validate.ts).
 */
export type ValidatorProfile = 'explain' | 'verdict';

export const PROFILE_OVERRIDES: Record<ValidatorProfile, Record<string, unknown>> = {
  explain: {},
  verdict: { allErrors: false, verbose: false, inlineRefs: false },
};

/** Milliseconds spent, for `bench` and the tests that keep compile cost in check. */
export interface SchemaTimings {
  /** Loading ajv, ajv-draft-04 and ajv-formats (once per process; undefined when never needed). */
  loadAjv: number | undefined;
  /** Loading the precompiled validators of each profile (see precompile.ts). */
  loadPrecompiled: Partial<Record<ValidatorProfile, number>>;
  /** Reading, parsing and compiling each schema file that has been used (with the parts compiled on their own). */
  compile: Partial<Record<SchemaFile, number>>;
}

const timings: SchemaTimings = { loadAjv: undefined, loadPrecompiled: {}, compile: {} };

export function schemaTimings(): SchemaTimings {
  return { loadAjv: timings.loadAjv, loadPrecompiled: { ...timings.loadPrecompiled }, compile: { ...timings.compile } };
}

const instances = new Map<ValidatorProfile, { ajv: AjvInstance; added: Set<SchemaFile> }>();

function ajvFor(profile: ValidatorProfile): { ajv: AjvInstance; added: Set<SchemaFile> } {
  let instance = instances.get(profile);
  if (instance === undefined) {
    const start = performance.now();
    instance = { ajv: createAjv(PROFILE_OVERRIDES[profile]), added: new Set() };
    instances.set(profile, instance);
    timings.loadAjv = (timings.loadAjv ?? 0) + performance.now() - start;
  }
  return instance;
}

const documents = new Map<SchemaFile, { text: string; value: PlainJson }>();

function schemaSource(file: SchemaFile): { text: string; value: PlainJson } {
  let doc = documents.get(file);
  if (doc === undefined) {
    const text = fs.readFileSync(schemaFilePath(file), 'utf8');
    doc = { text, value: JSON.parse(text) as PlainJson };
    documents.set(file, doc);
  }
  return doc;
}

/** The parsed schema file (the very object validators were made from, so errors' `parentSchema` is inside it). */
export function schemaDocument(file: SchemaFile): PlainJson {
  return schemaSource(file).value;
}

/** The sha256 of a schema file's text: precompiled validators are used only for the text they were made from. */
export function schemaDigest(file: SchemaFile): string {
  return createHash('sha256').update(schemaSource(file).text).digest('hex');
}

/** The value at a JSON pointer of a schema file (the object itself, not a copy). */
export function schemaAt(file: SchemaFile, pointer: string): PlainJson | undefined {
  return valueAt(schemaDocument(file), pointer);
}

const validators = new Map<string, ValidateFunction>();

/**
 * The validator of a schema file, or of the sub-schema at `fragment` (a JSON pointer into
 * the file), with the settings of `profile`: the precompiled one when there is one for this
 * very schema text and these settings, else compiled on first use; kept for the life of the
 * process.
 */
export function schemaValidator(file: SchemaFile, fragment = '', profile: ValidatorProfile = 'explain'): ValidateFunction {
  const key = `${profile}:${file}#${fragment}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = precompiledValidator(profile, file, fragment) ?? compileValidator(profile, file, fragment);
    validators.set(key, validate);
  }
  return validate;
}

export function compileValidator(profile: ValidatorProfile, file: SchemaFile, fragment: string): ValidateFunction {
  const instance = ajvFor(profile);
  const start = performance.now();
  if (!instance.added.has(file)) {
    instance.ajv.addSchema(schemaDocument(file) as object, file);
    instance.added.add(file);
  }
  const ref = schemaRef(file, fragment);
  const validate = instance.ajv.getSchema(ref);
  if (validate === undefined) throw new Error(`no schema at ${ref}`);
  timings.compile[file] = (timings.compile[file] ?? 0) + performance.now() - start;
  return validate;
}

/** ajv's key of a schema file's sub-schema. */
export function schemaRef(file: SchemaFile, fragment: string): string {
  return fragment === '' ? file : `${file}#${fragment.split('/').map((t) => encodeURIComponent(t)).join('/')}`;
}

/** What a precompiled module (precompile.ts) holds: the validators of one schema file. */
export interface PrecompiledModule {
  /** JSON of the settings and ajv version the validators were made with (precompiledSettings). */
  settings: string;
  /** sha256 of the schema file's text. */
  source: string;
  /** The validators by fragment ('' for the root), made on the schema objects `schemaAt` gives. */
  create(schemaAt: (pointer: string) => PlainJson | undefined): Record<string, ValidateFunction>;
}

/** The settings a profile's validators are made with, as precompiled modules record them. */
export function precompiledSettings(profile: ValidatorProfile): string {
  const require = createRequire(import.meta.url);
  const version = (require('ajv/package.json') as { version: string }).version;
  return JSON.stringify({ ajv: version, options: { ...AJV_OPTIONS, ...PROFILE_OVERRIDES[profile] }, formats: AJV_FORMATS });
}

/** `dist/precompiled/` of this package (written by `npm run build`, used from the sources too). */
export const PRECOMPILED_DIR: string = path.join(PACKAGE_ROOT, 'dist', 'precompiled');

export function precompiledPath(profile: ValidatorProfile, file: SchemaFile): string {
  return path.join(PRECOMPILED_DIR, profile, file.replace(/\.json$/, '.cjs'));
}

/** By `profile:file`: the file's validators, or null when there are none for its text and these settings. */
const precompiled = new Map<string, Record<string, ValidateFunction> | null>();

export function precompiledValidator(profile: ValidatorProfile, file: SchemaFile, fragment: string): ValidateFunction | undefined {
  const key = `${profile}:${file}`;
  let validators = precompiled.get(key);
  if (validators === undefined) {
    const start = performance.now();
    validators = null;
    try {
      const module = loadPrecompiledModule(precompiledPath(profile, file));
      // Validators of another text, or made with other settings (or another ajv), are not these.
      if (module.settings === precompiledSettings(profile) && module.source === schemaDigest(file)) {
        validators = module.create((pointer) => schemaAt(file, pointer));
      }
    } catch {
      // Not built (running from the sources before `npm run build`): compiled on demand instead.
    }
    precompiled.set(key, validators);
    timings.loadPrecompiled[profile] = (timings.loadPrecompiled[profile] ?? 0) + performance.now() - start;
  }
  return validators?.[fragment];
}

/** The precompiled modules loaded, with the script each was compiled as (for its code cache). */
const loadedScripts = new Map<string, { script: vm.Script; cache: 'accepted' | 'rejected' | 'none' }>();

/**
 * Loads a precompiled module as `require` would, through a vm.Script that takes V8's code cache
 * beside it (`<module>.cjs.cache`, written by writePrecompiledCodeCaches when `npm run build`
 * runs tools/codeCache.mjs): the 0.2 to 0.35 MB of generated code of a module is then not
 * parsed and compiled again in every process and worker thread that checks packages (loading
 * the three repo schemas' validators: 14 to 20 ms without it, 4 to 5 ms with it). V8 refuses a
 * cache made for other source, another V8 or other flags, and then compiles as usual.
 */
export function loadPrecompiledModule(file: string): PrecompiledModule {
  const source = fs.readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} as PrecompiledModule };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file));
  loadedScripts.set(file, { script, cache: cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'accepted' });
  return module.exports;
}

/** How each precompiled module loaded so far took its code cache. */
export function precompiledCodeCaches(): Map<string, 'accepted' | 'rejected' | 'none'> {
  return new Map([...loadedScripts].map(([file, { cache }]) => [file, cache]));
}

/**
 * Writes the code cache of every precompiled module loaded in this thread, with whatever its
 * validators compiled since (tools/codeCache.mjs runs the commands first). Written to a
 * temporary file and renamed, so that a reader never sees half of one. Returns the files.
 */
export function writePrecompiledCodeCaches(): string[] {
  const written: string[] = [];
  for (const [file, { script }] of loadedScripts) {
    const target = `${file}.cache`;
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, target);
    written.push(target);
  }
  return written;
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

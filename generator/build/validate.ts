/**
 * The schema check of the build: each package of a repo file against the project's repo schema
 * of that file's format (`schemas/universe/vN-repo-schema.json`, via generator/schemas).
 *
 * The repo schemas constrain each item of `packages` on its own, so checking every package once
 * per format is checking every repo document. Each item must match exactly one package form
 * (`oneOf`), and the forms are told apart by a one-value `packagingVersion` enum; when the
 * schema has that shape (checked when it is loaded), a package is checked against the one form
 * its packagingVersion names, compiled once and shared by the formats whose form (with
 * everything it refers to) is identical. Otherwise the whole repo schema is used.
 *
 * The check runs in a worker thread (work.ts), in parallel with reading and serializing; only
 * when a package fails are its problems explained, on the main thread, by generator/schemas.
 */
import type { ValidateFunction } from 'ajv';
import type { PlainJson } from '../json/value.js';
import { schemaDocument, schemaValidator, type SchemaFile } from '../schemas/registry.js';
import { validateUniverseRepo } from '../schemas/universe.js';
import type { RepoFormat } from './gen.js';

export interface PackageProblem {
  /** JSON pointer inside the package. */
  pointer: string;
  message: string;
}

const ITEM = '/packages/0';

/** Problems of one package (plain JSON, as read back from the repo file) in a repo of `format`. */
export function explainPackage(format: RepoFormat, pkg: unknown): PackageProblem[] {
  const problems = validateUniverseRepo(format, { packages: [pkg as PlainJson] });
  return problems.map((p) => ({
    pointer: p.pointer.startsWith(ITEM) ? p.pointer.slice(ITEM.length) : p.pointer,
    message: p.message.replace(/`packages\[0\]\.?/g, '`').replace(/``/g, 'the package'),
  }));
}

const REPO_SCHEMA: Record<RepoFormat, SchemaFile> = {
  v3: 'universe/v3-repo-schema.json',
  v4: 'universe/v4-repo-schema.json',
  v5: 'universe/v5-repo-schema.json',
};

type Schema = { [key: string]: PlainJson };

function isSchemaObject(v: PlainJson | undefined): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Fast yes/no validity of packages, per format, with the registry's `verdict` validators
 * (precompiled when built): allErrors and verbose are off, and a failing package is explained
 * afterwards by generator/schemas, with the project's settings.
 */
export class PackageChecker {
  /** format -> packagingVersion -> validator (undefined: that format has no such form). */
  private readonly forms = new Map<RepoFormat, Map<string, ValidateFunction> | null>();
  private readonly byClosure = new Map<string, ValidateFunction>();
  private readonly whole = new Map<RepoFormat, ValidateFunction>();

  check(format: RepoFormat, pkg: unknown): boolean {
    return this.refusing([format], pkg).length === 0;
  }

  /** Compiles every format's forms now (the worker does it while the build reads the packages). */
  prepare(): void {
    for (const format of ['v5', 'v4', 'v3'] as const) this.formsOf(format);
  }

  /**
   * The formats among `formats` whose schema refuses `pkg`. A form shared by several formats
   * (the same definition, compiled once) is run once.
   */
  refusing(formats: readonly RepoFormat[], pkg: unknown): RepoFormat[] {
    const results = new Map<ValidateFunction, boolean>();
    const out: RepoFormat[] = [];
    for (const format of formats) {
      const validate = this.validatorFor(format, pkg);
      if (validate === undefined) {
        out.push(format);
        continue;
      }
      let ok = results.get(validate);
      if (ok === undefined) {
        ok = validate(this.wrap(format, pkg)) === true;
        results.set(validate, ok);
      }
      if (!ok) out.push(format);
    }
    return out;
  }

  /** What the validator of `format` takes: the package itself for a form, a repo document otherwise. */
  private wrap(format: RepoFormat, pkg: unknown): unknown {
    return this.formsOf(format) === null ? { packages: [pkg] } : pkg;
  }

  /** The validator to run on `pkg` for `format`, or undefined when the package is refused outright. */
  private validatorFor(format: RepoFormat, pkg: unknown): ValidateFunction | undefined {
    const forms = this.formsOf(format);
    if (forms === null) return this.wholeValidator(format);
    if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) return undefined;
    const pv = (pkg as { packagingVersion?: unknown }).packagingVersion;
    return typeof pv === 'string' ? forms.get(pv) : undefined;
  }

  private wholeValidator(format: RepoFormat): ValidateFunction {
    let v = this.whole.get(format);
    if (v === undefined) {
      v = schemaValidator(REPO_SCHEMA[format], '', 'verdict');
      this.whole.set(format, v);
    }
    return v;
  }

  /** The forms of a repo schema by packagingVersion, or null when the schema is not of that shape. */
  private formsOf(format: RepoFormat): Map<string, ValidateFunction> | null {
    let forms = this.forms.get(format);
    if (forms !== undefined) return forms;
    forms = this.discriminate(format);
    this.forms.set(format, forms);
    return forms;
  }

  private discriminate(format: RepoFormat): Map<string, ValidateFunction> | null {
    const file = REPO_SCHEMA[format];
    const doc = schemaDocument(file) as Schema;
    // The document: an object with a required `packages` array and nothing else.
    const props = doc.properties;
    const required = doc.required;
    if (
      doc.type !== 'object' ||
      doc.additionalProperties !== false ||
      !Array.isArray(required) ||
      !required.includes('packages') ||
      !isSchemaObject(props) ||
      Object.keys(props).length !== 1 ||
      !isSchemaObject(props.packages)
    ) {
      return null;
    }
    const packages = props.packages;
    if (!Object.keys(packages).every((k) => ['type', 'items', 'description'].includes(k)) || packages.type !== 'array') return null;
    const items = packages.items;
    if (!isSchemaObject(items) || !Object.keys(items).every((k) => ['type', 'oneOf', 'description'].includes(k)) || items.type !== 'object') return null;
    const oneOf = items.oneOf;
    if (!Array.isArray(oneOf)) return null;
    const out = new Map<string, ValidateFunction>();
    for (const branch of oneOf) {
      if (!isSchemaObject(branch) || Object.keys(branch).length !== 1 || typeof branch.$ref !== 'string') return null;
      const ref = branch.$ref;
      const m = /^#\/definitions\/([^/~%]+)$/.exec(ref);
      const definitions = doc.definitions;
      if (m === null || !isSchemaObject(definitions)) return null;
      const form = definitions[m[1] as string];
      if (!isSchemaObject(form) || !Array.isArray(form.required) || !form.required.includes('packagingVersion')) return null;
      const pvSchema = isSchemaObject(form.properties) ? form.properties.packagingVersion : undefined;
      if (!isSchemaObject(pvSchema) || !Array.isArray(pvSchema.enum) || pvSchema.enum.length !== 1 || typeof pvSchema.enum[0] !== 'string') return null;
      if (Object.keys(pvSchema).some((k) => k !== 'enum' && k !== 'description')) return null;
      const pv = pvSchema.enum[0];
      if (out.has(pv)) return null; // two forms for one packagingVersion: not discriminated
      const key = closureKey(file, definitions, m[1] as string);
      let validate = this.byClosure.get(key);
      if (validate === undefined) {
        validate = schemaValidator(file, `/definitions/${m[1] as string}`, 'verdict');
        this.byClosure.set(key, validate);
      }
      out.set(pv, validate);
    }
    return out;
  }
}

/**
 * A definition and every definition it refers to, transitively, as one string: equal strings
 * in two repo schemas mean the same form. A reference elsewhere ties the key to the file.
 */
function closureKey(file: string, definitions: Schema, name: string): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  let local = true;
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const text = JSON.stringify(definitions[n]);
    parts.push(`${n}=${text}`);
    for (const m of text.matchAll(/"\$ref":"([^"]*)"/g)) {
      const target = /^#\/definitions\/([^/~%]+)$/.exec(m[1] as string);
      if (target === null) local = false;
      else visit(target[1] as string);
    }
  };
  visit(name);
  return `${local ? '' : `${file}\n`}${parts.join('\n')}`;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnostic, DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { JsonSyntaxError, parseJson, type DuplicateKey } from '../json/parse.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json/value.js';

export const PACKAGING_VERSIONS = ['2.0', '3.0', '4.0', '5.0'] as const;
export type PackagingVersion = (typeof PACKAGING_VERSIONS)[number];

export const REVISION_FILES = ['package.json', 'config.json', 'marathon.json.mustache', 'resource.json', 'command.json'] as const;

/** A JSON file of a revision, with its text kept for positions in diagnostics. */
export interface RevisionJsonFile {
  path: string;
  text: string;
  value: JsonValue;
  duplicates: DuplicateKey[];
}

export interface RevisionTextFile {
  path: string;
  text: string;
  /** The raw bytes, as Cosmos stores the template (base64 of the file in the index). */
  bytes: Buffer;
}

/** One revision directory of a Universe package: `packages/<L>/<name>/<releaseVersion>/`. */
export interface PackageRevision {
  dir: string;
  package: RevisionJsonFile & { value: JsonObject };
  config?: RevisionJsonFile;
  resource?: RevisionJsonFile;
  command?: RevisionJsonFile;
  marathonTemplate?: RevisionTextFile;
  /** From package.json (undefined when missing or not a string). */
  name: string | undefined;
  version: string | undefined;
  packagingVersion: string | undefined;
  /** From the directory name when it is a non-negative integer. */
  releaseVersion: number | undefined;
}

export function isPackagingVersion(v: string | undefined): v is PackagingVersion {
  return (PACKAGING_VERSIONS as readonly (string | undefined)[]).includes(v);
}

/** Reads a file as UTF-8 the way the JVM does (invalid bytes become U+FFFD). */
export function readText(file: string): { text: string; bytes: Buffer } {
  const bytes = fs.readFileSync(file);
  return { text: bytes.toString('utf8'), bytes };
}

export function parseJsonFile(file: string, text: string): RevisionJsonFile {
  try {
    const parsed = parseJson(text);
    return { path: file, text, value: parsed.value, duplicates: parsed.duplicates };
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new DiagnosticError(
        diagnostic({ file, rule: 'json-syntax', message: e.message, line: e.position.line, column: e.position.column, pointer: '' }),
      );
    }
    throw e;
  }
}

export function readJsonFile(file: string): RevisionJsonFile {
  return parseJsonFile(file, readText(file).text);
}

function optionalFile(dir: string, name: string): string | undefined {
  const file = path.join(dir, name);
  try {
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads a revision directory. Throws a DiagnosticError (one finding) when it cannot be used
 * at all: no directory, no package.json, or a file that is not JSON.
 */
export function loadRevision(dir: string): PackageRevision {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new DiagnosticError(diagnostic({ file: dir, rule: 'layout', message: 'no such revision directory' }));
  }
  if (!stat.isDirectory()) throw new DiagnosticError(diagnostic({ file: dir, rule: 'layout', message: 'not a directory' }));
  const packageFile = optionalFile(dir, 'package.json');
  if (packageFile === undefined) {
    throw new DiagnosticError(diagnostic({ file: path.join(dir, 'package.json'), rule: 'layout', message: 'package.json is missing' }));
  }
  const pkg = readJsonFile(packageFile);
  if (!isJsonObject(pkg.value)) {
    throw new DiagnosticError(diagnostic({ file: packageFile, rule: 'package-schema', pointer: '', line: 1, column: 1, message: 'package.json must hold a JSON object' }));
  }
  const json = (name: string): RevisionJsonFile | undefined => {
    const f = optionalFile(dir, name);
    return f === undefined ? undefined : readJsonFile(f);
  };
  const templateFile = optionalFile(dir, 'marathon.json.mustache');
  const str = (k: string): string | undefined => {
    const v = (pkg.value as JsonObject).get(k);
    return typeof v === 'string' ? v : undefined;
  };
  const base = path.basename(path.resolve(dir));
  const revision: PackageRevision = {
    dir,
    package: pkg as RevisionJsonFile & { value: JsonObject },
    name: str('name'),
    version: str('version'),
    packagingVersion: str('packagingVersion'),
    releaseVersion: /^(0|[1-9]\d*)$/.test(base) ? Number(base) : undefined,
  };
  const config = json('config.json');
  if (config) revision.config = config;
  const resource = json('resource.json');
  if (resource) revision.resource = resource;
  const command = json('command.json');
  if (command) revision.command = command;
  if (templateFile !== undefined) revision.marathonTemplate = { path: templateFile, ...readText(templateFile) };
  return revision;
}

export function diagnosticsOf(e: unknown): Diagnostic[] | undefined {
  return e instanceof DiagnosticError ? [e.diagnostic] : undefined;
}

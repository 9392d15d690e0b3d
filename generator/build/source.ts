/**
 * Reading a Universe packages directory (`<LETTER>/<name>/<releaseVersion>/`) for the build, with
 * a diagnostic (file, line, column) for everything the public build would trip over: a stray
 * entry in the layout, a file that is not UTF-8 or not JSON, a package.json that is no object.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { JsonSyntaxError, locatePointer, parseJson, positionAt, type DuplicateKey } from '../json/parse.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import { entryIs, errorText, isReadError, NOT_A_REGULAR_FILE, readRevision as readFiles, type RevisionRead } from '../load/revisionFiles.js';

export const PACKAGE_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const RELEASE_VERSION = /^(0|[1-9]\d*)$/;

export const JSON_FILES = ['package.json', 'resource.json', 'config.json', 'command.json'] as const;
export type RevisionJsonName = (typeof JSON_FILES)[number];
export const TEMPLATE_FILE = 'marathon.json.mustache';

/** A JSON file of a revision: its text, valid UTF-8, not parsed yet. */
export interface SourceFile {
  file: string;
  text: string;
}

export interface SourceJson extends SourceFile {
  value: JsonValue;
}

export interface SourceRevision {
  name: string;
  releaseVersion: number;
  dir: string;
  package: SourceJson & { value: JsonObject };
  resource?: SourceFile;
  config?: SourceFile;
  command?: SourceFile;
  template?: { file: string; bytes: Buffer };
}

export interface RevisionRef {
  name: string;
  releaseVersion: number;
  dir: string;
}

/**
 * Every revision directory, sorted by package name, then releaseVersion. Layout problems are
 * pushed to `diagnostics` (errors); the revisions that are fine are still returned.
 */
export function listRevisions(packagesDir: string, diagnostics: Diagnostic[]): RevisionRef[] {
  const out: RevisionRef[] = [];
  const err = (file: string, message: string): void => {
    diagnostics.push(diagnostic({ file, rule: 'layout', message }));
  };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(packagesDir);
  } catch {
    err(packagesDir, 'no such packages directory');
    return out;
  }
  if (!stat.isDirectory()) {
    err(packagesDir, 'not a directory (expected the packages directory, laid out as <LETTER>/<name>/<releaseVersion>/)');
    return out;
  }
  for (const letter of readDir(packagesDir, err)) {
    const letterDir = path.join(packagesDir, letter.name);
    const letterIsDir = entryIs('directory', letter, letterDir);
    if (!letterIsDir || !/^[A-Z]$/.test(letter.name)) {
      err(letterDir, `unexpected ${letterIsDir ? 'directory' : 'file'} in the packages directory: only directories named by one upper-case letter belong here`);
      continue;
    }
    for (const pkg of readDir(letterDir, err)) {
      const pkgDir = path.join(letterDir, pkg.name);
      if (!entryIs('directory', pkg, pkgDir)) {
        err(pkgDir, `unexpected file in ${letter.name}/: only package directories belong here`);
        continue;
      }
      if (!PACKAGE_NAME.test(pkg.name)) {
        err(pkgDir, `package directory name ${JSON.stringify(pkg.name)} does not match ${PACKAGE_NAME.source}`);
        continue;
      }
      if (pkg.name[0]?.toUpperCase() !== letter.name) {
        err(pkgDir, `package ${pkg.name} belongs in ${pkg.name[0]?.toUpperCase()}/, not ${letter.name}/`);
        continue;
      }
      for (const rev of readDir(pkgDir, err)) {
        const revDir = path.join(pkgDir, rev.name);
        const revIsDir = entryIs('directory', rev, revDir);
        if (!revIsDir || !RELEASE_VERSION.test(rev.name) || !Number.isSafeInteger(Number(rev.name))) {
          err(revDir, `unexpected ${revIsDir ? 'directory' : 'file'} in ${pkg.name}/: only revision directories named by their releaseVersion (0, 1, 2, ...) belong here`);
          continue;
        }
        out.push({ name: pkg.name, releaseVersion: Number(rev.name), dir: revDir });
      }
    }
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.releaseVersion - b.releaseVersion));
  return out;
}

function readDir(dir: string, err: (file: string, message: string) => void): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    err(dir, `cannot read directory: ${errorText(e)}`);
    return [];
  }
}

/** The files of a revision the build reads. */
export const REVISION_READ_NAMES = [...JSON_FILES, TEMPLATE_FILE] as const;

/** A revision's files as the build reads them: regular files only (see readRevisionFiles). */
export function readRevisionFiles(dir: string): RevisionRead {
  return readFiles(dir, REVISION_READ_NAMES, undefined, true);
}

/**
 * Loads one revision (from `read` when its files were read already, by readRevisionFiles or the
 * reader thread); problems go to `diagnostics` (duplicate keys as warnings) and give undefined.
 */
export function readRevision(ref: RevisionRef, diagnostics: Diagnostic[], read: RevisionRead = readRevisionFiles(ref.dir)): SourceRevision | undefined {
  if (isReadError(read.entries)) {
    diagnostics.push(diagnostic({ file: ref.dir, rule: 'layout', message: `cannot read directory: ${read.entries.error}` }));
    return undefined;
  }
  const present = new Set(read.entries);
  let ok = true;
  // gen_universe.py skips an optional entry that is not a regular file (is_file()) and fails
  // to open a package.json that is not one.
  const bytesOf = (name: string, required: boolean): Buffer | undefined => {
    const got = read.files.get(name);
    if (got === undefined) return undefined;
    if (isReadError(got)) {
      const file = path.join(ref.dir, name);
      if (got.error !== NOT_A_REGULAR_FILE) {
        diagnostics.push(diagnostic({ file, rule: 'layout', message: `cannot read: ${got.error}` }));
        ok = false;
      } else if (required) {
        diagnostics.push(diagnostic({ file, rule: 'layout', message: `${name} is not a regular file` }));
        ok = false;
      }
      return undefined;
    }
    return Buffer.from(got.buffer, got.byteOffset, got.length);
  };
  const load = (name: RevisionJsonName): SourceFile | undefined => {
    const bytes = bytesOf(name, name === 'package.json');
    if (bytes === undefined) return undefined;
    const loaded = decodeText(path.join(ref.dir, name), bytes, diagnostics);
    if (loaded === undefined) ok = false;
    return loaded;
  };
  if (!present.has('package.json')) {
    diagnostics.push(diagnostic({ file: path.join(ref.dir, 'package.json'), rule: 'layout', message: 'package.json is missing' }));
    ok = false;
  }
  const packageText = load('package.json');
  const pkg = packageText === undefined ? undefined : parseSourceFile(packageText, diagnostics);
  if (packageText !== undefined && pkg === undefined) ok = false;
  const resource = load('resource.json');
  const config = load('config.json');
  const command = load('command.json');
  let template: SourceRevision['template'];
  const templateBytes = bytesOf(TEMPLATE_FILE, false);
  if (templateBytes !== undefined) template = { file: path.join(ref.dir, TEMPLATE_FILE), bytes: templateBytes };
  if (!ok || pkg === undefined) return undefined;
  if (!(pkg.value instanceof Map)) {
    diagnostics.push(diagnostic({ file: pkg.file, rule: 'package-json', pointer: '', ...lineCol(pkg.text, 0), message: 'package.json must hold a JSON object' }));
    return undefined;
  }
  const name = pkg.value.get('name');
  if (name !== ref.name) {
    const found = locatePointer(pkg.text, '/name');
    const where = found === undefined ? lineCol(pkg.text, 0) : { line: found.line, column: found.column };
    diagnostics.push(
      diagnostic({
        file: pkg.file,
        rule: 'layout',
        pointer: '/name',
        ...where,
        message: `package.json name ${name === undefined ? 'is missing' : `is ${JSON.stringify(name)}`}: it must be the directory name ${JSON.stringify(ref.name)}`,
      }),
    );
    return undefined;
  }
  const out: SourceRevision = { name: ref.name, releaseVersion: ref.releaseVersion, dir: ref.dir, package: pkg as SourceJson & { value: JsonObject } };
  if (resource) out.resource = resource;
  if (config) out.config = config;
  if (command) out.command = command;
  if (template) out.template = template;
  return out;
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  const p = positionAt(text, offset);
  return { line: p.line, column: p.column };
}

export function decodeText(file: string, bytes: Buffer, diagnostics: Diagnostic[]): SourceFile | undefined {
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    const text = bytes.subarray(0, at).toString('utf8');
    diagnostics.push(diagnostic({ file, rule: 'encoding', pointer: null, ...lineCol(text, text.length), message: `invalid UTF-8 byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} (the Universe build reads JSON files as UTF-8)` }));
    return undefined;
  }
  return { file, text: bytes.toString('utf8') };
}

/**
 * Parses a file as Python's `json.load` would accept it, but strictly: a byte order mark, NaN
 * or Infinity are errors. Duplicate keys are warnings (Python keeps the last value at the
 * first position, and so does the parser).
 */
export function parseSourceFile(source: SourceFile, diagnostics: Diagnostic[]): SourceJson | undefined {
  const { file, text } = source;
  let parsed: { value: JsonValue; duplicates: DuplicateKey[] };
  try {
    parsed = parseJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    diagnostics.push(diagnostic({ file, rule: 'json-syntax', pointer: null, line: e.position.line, column: e.position.column, message: e.message }));
    return undefined;
  }
  for (const d of parsed.duplicates) {
    diagnostics.push(
      diagnostic({
        file,
        rule: 'duplicate-key',
        severity: 'warning',
        pointer: d.pointer,
        line: d.position.line,
        column: d.position.column,
        message: `duplicate key ${JSON.stringify(d.key)}: the build keeps the last value at the first position, as Python's json does`,
      }),
    );
  }
  return { file, text, value: parsed.value };
}

/** Offset of the first byte that makes `bytes` invalid UTF-8 (strict: no surrogates, no overlongs). */
export function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return n;
}

/**
 * A tolerant loader of revision directories: it reads every file it can, reports what is
 * wrong with each (read errors, encoding, JSON syntax, duplicate keys, escaped unicode; for
 * config.json and resource.json this happens with the content checks) and keeps going, so
 * one malformed file never hides the other findings of a run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonValue } from '../json/value.js';
import { checkJsonFile, checkTemplateEncoding } from './checks/files.js';
import { finding, REVISION_FILE_NAMES, type Finding, type JsonFileName, type RevisionFileName } from './findings.js';

export interface LoadedJsonFile {
  file: JsonFileName;
  path: string;
  text: string;
  /** The parsed value; undefined when the text is not JSON. */
  value: JsonValue | undefined;
}

/** A file read but not parsed here: config.json and resource.json are parsed with the content checks. */
export interface LoadedText {
  path: string;
  text: string;
}

export type LoadedTemplate = LoadedText;

export interface LoadedRevision {
  dir: string;
  package?: LoadedJsonFile;
  config?: LoadedText;
  resource?: LoadedText;
  command?: LoadedJsonFile;
  template?: LoadedTemplate;
  /** Entries of the directory that are not revision files (names). */
  unknown: string[];
  /** Findings of the files themselves. */
  findings: Finding[];
}

const KNOWN = new Set<string>(REVISION_FILE_NAMES);

export function loadRevisionFiles(dir: string): LoadedRevision {
  const revision: LoadedRevision = { dir, unknown: [], findings: [] };
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (e) {
    revision.findings.push(finding('file-read', '', `the revision directory cannot be read: ${errorText(e)}`));
    return revision;
  }
  const present = new Set<RevisionFileName>();
  for (const name of entries) {
    // A revision file that is a directory or a dangling link is reported when it is read.
    if (KNOWN.has(name)) present.add(name as RevisionFileName);
    else revision.unknown.push(name);
  }
  revision.unknown.sort();
  for (const file of REVISION_FILE_NAMES) {
    if (!present.has(file)) continue;
    const full = path.join(dir, file);
    let bytes: Buffer;
    try {
      bytes = readFile(full);
    } catch (e) {
      revision.findings.push(finding('file-read', file, `${file} cannot be read: ${errorText(e)}`));
      continue;
    }
    const text = bytes.toString('utf8');
    if (file === 'marathon.json.mustache') {
      revision.template = { path: full, text };
      revision.findings.push(...checkTemplateEncoding(bytes, text));
      continue;
    }
    // Parsed (and checked as files) with the content checks, possibly on another thread.
    if (file === 'config.json') {
      revision.config = { path: full, text };
      continue;
    }
    if (file === 'resource.json') {
      revision.resource = { path: full, text };
      continue;
    }
    const report = checkJsonFile(file, text);
    revision.findings.push(...report.findings);
    const loaded: LoadedJsonFile = { file, path: full, text, value: report.value };
    if (file === 'package.json') revision.package = loaded;
    else revision.command = loaded;
  }
  return revision;
}

let buffer = Buffer.allocUnsafe(1 << 16);

/**
 * The bytes of a file, in a buffer reused by the next call (copy what must be kept): one
 * open, read and close, without readFileSync's stat and its allocation per file.
 */
function readFile(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return buffer.subarray(0, length);
      length += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function errorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (e instanceof Error ? e.message : String(e));
}

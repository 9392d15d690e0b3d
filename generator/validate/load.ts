/**
 * A tolerant loader of revision directories: it reads every file it can, reports what is
 * wrong with each (read errors, encoding, JSON syntax, duplicate keys, escaped unicode; for
 * config.json and resource.json this happens with the content checks) and keeps going, so
 * one malformed file never hides the other findings of a run.
 */
import * as path from 'node:path';
import type { JsonValue } from '../json/value.js';
import { checkJsonFile, checkTemplateEncoding } from './checks/files.js';
import { finding, REVISION_FILE_NAMES, type Finding, type JsonFileName } from './findings.js';
import { isReadError, readRevision, type RevisionRead } from '../load/revisionFiles.js';

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

/** A revision directory's files, read here or given as already read (by the reader thread). */
export function loadRevisionFiles(dir: string, read: RevisionRead = readRevision(dir, REVISION_FILE_NAMES)): LoadedRevision {
  const revision: LoadedRevision = { dir, unknown: [], findings: [] };
  if (isReadError(read.entries)) {
    revision.findings.push(finding('file-read', '', `the revision directory cannot be read: ${read.entries.error}`));
    return revision;
  }
  for (const name of read.entries) {
    // A revision file that is a directory or a dangling link is reported when it is read.
    if (!KNOWN.has(name)) revision.unknown.push(name);
  }
  revision.unknown.sort();
  for (const file of REVISION_FILE_NAMES) {
    const bytes = read.files.get(file);
    if (bytes === undefined) continue;
    if (isReadError(bytes)) {
      revision.findings.push(finding('file-read', file, `${file} cannot be read: ${bytes.error}`));
      continue;
    }
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const text = buffer.toString('utf8');
    const full = `${dir}${path.sep}${file}`;
    if (file === 'marathon.json.mustache') {
      revision.template = { path: full, text };
      revision.findings.push(...checkTemplateEncoding(buffer, text));
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

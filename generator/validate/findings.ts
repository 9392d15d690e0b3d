/**
 * Findings of the validator before they are tied to a revision directory: a finding names
 * the revision file it is about (`config.json`), so the checks of identical contents can be
 * computed once and shared by every revision that holds them (see cache.ts).
 */
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { locatePointer } from '../json/parse.js';
import { ruleSeverity, type RuleId } from './rules.js';

export const REVISION_FILE_NAMES = ['package.json', 'config.json', 'resource.json', 'command.json', 'marathon.json.mustache'] as const;
export type RevisionFileName = (typeof REVISION_FILE_NAMES)[number];
export type JsonFileName = Exclude<RevisionFileName, 'marathon.json.mustache'>;

export interface Finding {
  rule: RuleId;
  /** The revision file, or '' for the revision directory itself. */
  file: RevisionFileName | '';
  pointer: string | null;
  line: number | null;
  column: number | null;
  message: string;
}

export interface Place {
  pointer?: string | null;
  line?: number | null;
  column?: number | null;
}

export function finding(rule: RuleId, file: RevisionFileName | '', message: string, at: Place = {}): Finding {
  return { rule, file, pointer: at.pointer ?? null, line: at.line ?? null, column: at.column ?? null, message };
}

/** A place inside a JSON text named by a pointer, with the line and column of the value. */
export function jsonPlace(text: string, pointer: string): Place {
  const at = locatePointer(text, pointer);
  return { pointer, line: at?.line ?? null, column: at?.column ?? null };
}

/** The finding as a Diagnostic about a file of the revision directory `dir`. */
export function toDiagnostic(f: Finding, dir: string): Diagnostic {
  return {
    file: f.file === '' ? dir : `${dir}${path.sep}${f.file}`,
    pointer: f.pointer,
    line: f.line,
    column: f.column,
    rule: f.rule,
    severity: ruleSeverity(f.rule),
    message: f.message,
  };
}

/** A Diagnostic about a path that is not inside one revision (a letter or package directory). */
export function pathDiagnostic(rule: RuleId, file: string, message: string): Diagnostic {
  return { file, pointer: null, line: null, column: null, rule, severity: ruleSeverity(rule), message };
}

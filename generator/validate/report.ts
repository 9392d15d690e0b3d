/** The two output formats of `ecr-universe validate`: compiler-like lines, or one JSON object. */
import * as path from 'node:path';
import { formatDiagnostic, isNormalizedPath, pathBelow, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface ValidationSummary {
  revisions: number;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
  /** Wall time of the run in milliseconds. */
  elapsedMs: number;
  /** Threads that checked contents, the main one included (not part of the output formats). */
  threads?: number;
}

export function countSeverities(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === 'error') errors++;
  return { errors, warnings: diagnostics.length - errors };
}

/** One line per finding, then `N revisions, N errors, N warnings (1.23 s)`. */
export function formatHuman(summary: ValidationSummary, cwd = process.cwd()): string {
  const lines = summary.diagnostics.map((d) => formatDiagnostic(d, cwd));
  lines.push(summaryLine(summary));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(s: Pick<ValidationSummary, 'revisions' | 'errors' | 'warnings' | 'elapsedMs'>): string {
  const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${n(s.revisions, 'revision')}, ${n(s.errors, 'error')}, ${n(s.warnings, 'warning')} (${(s.elapsedMs / 1000).toFixed(2)} s)`;
}

/** `{"revisions", "errors", "warnings", "diagnostics": [...]}` with files relative to `cwd`. */
export function formatJson(summary: ValidationSummary, cwd = process.cwd()): string {
  const relative = relativeToFor(cwd);
  const doc = {
    revisions: summary.revisions,
    errors: summary.errors,
    warnings: summary.warnings,
    diagnostics: summary.diagnostics.map((d) => ({
      file: relative(d.file),
      pointer: d.pointer,
      line: d.line,
      column: d.column,
      rule: d.rule,
      severity: d.severity,
      message: d.message,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** `file` relative to `cwd`, `/`-separated ('.' for cwd itself). */
export function relativeTo(cwd: string, file: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

/** relativeTo, without path's normalizing for the usual file (see isNormalizedPath). */
export function relativeToFor(cwd: string): (file: string) => string {
  // A normalized relative file is already relative to a normalized cwd.
  const cwdNormalized = isNormalizedPath(cwd) && path.isAbsolute(cwd);
  return (file) => {
    if (cwdNormalized && isNormalizedPath(file) && !file.startsWith('/')) return file;
    return pathBelow(cwd, file) ?? relativeTo(cwd, file);
  };
}

import * as path from 'node:path';

export type Severity = 'error' | 'warning';

/** One finding of any check in this project, printed like a compiler message. */
export interface Diagnostic {
  /** The file the finding is about (as given, or absolute); made relative when printed. */
  file: string;
  /** JSON pointer inside the file ('' for the whole document), or null when not JSON-shaped. */
  pointer: string | null;
  /** 1-based line and column, null when unknown. */
  line: number | null;
  column: number | null;
  /** Stable rule id, e.g. `json-syntax`, `config-defaults`. */
  rule: string;
  severity: Severity;
  message: string;
}

export function diagnostic(
  fields: Pick<Diagnostic, 'file' | 'rule' | 'message'> & Partial<Omit<Diagnostic, 'file' | 'rule' | 'message'>>,
): Diagnostic {
  return {
    file: fields.file,
    pointer: fields.pointer ?? null,
    line: fields.line ?? null,
    column: fields.column ?? null,
    rule: fields.rule,
    severity: fields.severity ?? 'error',
    message: fields.message,
  };
}

/**
 * Whether a path needs no normalizing: no `.`, `..` or empty segment, no trailing `/` (POSIX).
 * Paths like these are cut rather than resolved (path.resolve and path.relative cost some
 * 8 µs a call, a hundredth of a validate run with 2,000 findings).
 */
export function isNormalizedPath(p: string): boolean {
  return path.sep === '/' && p !== '' && !p.includes('//') && (p === '/' || !p.endsWith('/')) && !/(^|\/)\.\.?(\/|$)/.test(p);
}

/** `file` below `dir`, relative to it, when both are normalized absolute paths; else undefined. */
export function pathBelow(dir: string, file: string): string | undefined {
  if (!isNormalizedPath(file) || !isNormalizedPath(dir) || !path.isAbsolute(dir)) return undefined;
  const prefix = dir === '/' ? '/' : `${dir}/`;
  return file.length > prefix.length && file.startsWith(prefix) ? file.slice(prefix.length) : undefined;
}

export function relativeFile(file: string, cwd = process.cwd()): string {
  if (!path.isAbsolute(file)) return file;
  const below = pathBelow(cwd, file);
  if (below !== undefined) return below;
  const rel = path.relative(cwd, file);
  // Files outside the working directory keep their absolute path: '../../x' helps nobody.
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return file;
  return rel === '' ? '.' : rel;
}

/** `path:line:col: error[rule]: message`, with ` (at /pointer)` when the position is unknown. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  let where = relativeFile(d.file, cwd);
  if (d.line !== null) {
    where += `:${d.line}`;
    if (d.column !== null) where += `:${d.column}`;
  }
  const at = d.pointer !== null && d.pointer !== '' && d.line === null ? ` (at ${d.pointer})` : '';
  return `${where}: ${d.severity}[${d.rule}]: ${d.message}${at}`;
}

export function diagnosticToJson(d: Diagnostic, cwd = process.cwd()): Diagnostic {
  return { ...d, file: relativeFile(d.file, cwd) };
}

/** An error that carries a Diagnostic; the CLI prints it as one line, without a stack trace. */
export class DiagnosticError extends Error {
  constructor(
    readonly diagnostic: Diagnostic,
    /** Every finding when there are several (the first is `diagnostic`). */
    readonly all: readonly Diagnostic[] = [diagnostic],
  ) {
    super(diagnostic.message);
    this.name = 'DiagnosticError';
  }
}

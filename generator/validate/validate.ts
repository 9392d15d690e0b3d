/**
 * `validate` as a library call: PATHs in, every finding out. Packages are the unit of work;
 * large runs spread them over worker threads (see pool.ts).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { discover, type PackageTarget } from './discover.js';
import { REVISION_FILE_NAMES } from './findings.js';
import { pathComparator } from './pathOrder.js';
import { countSeverities, type ValidationSummary } from './report.js';
import { validatePackage, type CheckSettings, type PackageReport } from './runner.js';

export interface ValidateSettings extends CheckSettings {
  /** Report every warning as an error. */
  warningsAsErrors?: boolean;
}

export async function validatePaths(paths: readonly string[], settings: ValidateSettings = {}): Promise<ValidationSummary> {
  const start = performance.now();
  const found = discover(paths);
  const reports = validatePackages(found.packages, settings);
  return summarize(found.diagnostics, reports, settings, performance.now() - start);
}

export function validatePackages(packages: readonly PackageTarget[], settings: CheckSettings): PackageReport[] {
  return packages.map((p) => validatePackage(p, settings));
}

export function summarize(discoveryDiagnostics: readonly Diagnostic[], reports: readonly PackageReport[], settings: ValidateSettings, elapsedMs: number): ValidationSummary {
  let diagnostics = [...discoveryDiagnostics, ...reports.flatMap((r) => r.diagnostics)];
  diagnostics = sortDiagnostics(diagnostics);
  if (settings.warningsAsErrors) diagnostics = diagnostics.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error' } : d));
  const { errors, warnings } = countSeverities(diagnostics);
  return { revisions: reports.reduce((n, r) => n + r.revisions, 0), errors, warnings, diagnostics, elapsedMs };
}

const REVISION_FILES = new Set<string>(REVISION_FILE_NAMES);

/** The revision directory of a diagnostic: its file's directory when the file is a revision file. */
function dirOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut >= 0 && REVISION_FILES.has(file.slice(cut + 1)) ? file.slice(0, cut) : file;
}

/**
 * By directory (numeric-aware: revision 10 after 2, see pathOrder.ts), then by the order the
 * checks gave. The distinct directories are ordered once; diagnostics then by their rank.
 */
function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const dirs = diagnostics.map((d) => dirOf(d.file));
  const distinct = [...new Set(dirs)];
  const compare = pathComparator(distinct);
  const ordered = distinct.sort(compare);
  // Directories that compare equal ("01" and "1") share a rank, as they did a position.
  const rank = new Map<string, number>();
  ordered.forEach((dir, i) => rank.set(dir, i > 0 && compare(ordered[i - 1] as string, dir) === 0 ? (rank.get(ordered[i - 1] as string) as number) : i));
  return diagnostics
    .map((d, i) => ({ d, i, rank: rank.get(dirs[i] as string) as number }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ d }) => d);
}

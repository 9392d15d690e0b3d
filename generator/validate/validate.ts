/**
 * `validate` as a library call: PATHs in, every finding out. Packages are the unit of work;
 * large runs spread them over worker threads (see pool.ts).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { discover, type PackageTarget } from './discover.js';
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

// Made on first use: an ICU collator costs some 15 ms to make.
let collator: Intl.Collator | undefined;

/** By directory (numeric-aware: revision 10 after 2), then by the order the checks gave. */
function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const dirOf = (d: Diagnostic): string => {
    const m = /^(.*?)([/\\](?:package\.json|config\.json|resource\.json|command\.json|marathon\.json\.mustache))$/.exec(d.file);
    return m ? (m[1] as string) : d.file;
  };
  return diagnostics
    .map((d, i) => ({ d, i, dir: dirOf(d) }))
    .sort((a, b) => (collator ??= new Intl.Collator('en', { numeric: true })).compare(a.dir, b.dir) || a.i - b.i)
    .map(({ d }) => d);
}

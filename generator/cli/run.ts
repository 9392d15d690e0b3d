import { CommanderError, InvalidArgumentError } from 'commander';
import { DiagnosticError, formatDiagnostic } from '../diagnostics/diagnostic.js';
import { DCOS_VERSIONS, isDcosVersion, type DcosVersion } from '../render/eras.js';

/** Exit codes of every command: 0 ok, 1 a finding or failure, 2 wrong usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Wrong usage detected after parsing (e.g. two options that exclude each other). */
export class UsageError extends Error {}

/**
 * Runs a command action: expected failures print one line and set the exit code, nothing
 * prints a stack trace unless ECR_UNIVERSE_DEBUG is set.
 */
export async function runAction(action: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (e) {
    process.exitCode = reportError(e);
  }
}

export function reportError(e: unknown): number {
  if (process.env.ECR_UNIVERSE_DEBUG) console.error(e);
  if (e instanceof DiagnosticError) {
    for (const d of e.all) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return EXIT_FAILURE;
  }
  if (e instanceof UsageError || e instanceof InvalidArgumentError) {
    process.stderr.write(`error: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof CommanderError) return e.exitCode;
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`error: ${message}\n`);
  return EXIT_FAILURE;
}

/** Writes to stdout and resolves once the data is handed to the OS (pipes included). */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // EPIPE: the reader has gone (see main); what it did not read is not an error of the run.
    process.stdout.write(text, (err) => (err && (err as NodeJS.ErrnoException).code !== 'EPIPE' ? reject(err) : resolve()));
  });
}

/** Commander argument parser for `--dcos-version`. */
export function parseDcosVersion(v: string): DcosVersion {
  if (!isDcosVersion(v)) throw new InvalidArgumentError(`expected one of ${DCOS_VERSIONS.join(', ')}`);
  return v;
}

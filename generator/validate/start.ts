/**
 * The first step of a validate run, kept apart from the checks' modules so that the CLI can
 * take it before loading them: find the packages and start the reader thread, which then
 * reads while the checks' modules load (about 0.1 s).
 */
import * as os from 'node:os';
import { discover, type Discovery } from './discover.js';
import { REVISION_FILE_NAMES } from './findings.js';
import { ReadAhead } from '../load/readAhead.js';

/**
 * From this many revisions on (with more than one core, and unless one thread was asked for),
 * a reader thread reads the files ahead of the checks; it costs about 50 ms to start.
 */
export const READ_AHEAD_REVISIONS = 100;

export interface StartedRun {
  /** performance.now() at the start. */
  start: number;
  found: Discovery;
  /** Revisions found. */
  total: number;
  readAhead: ReadAhead | undefined;
}

export function startRun(paths: readonly string[], jobs: number | undefined): StartedRun {
  const start = performance.now();
  const found = discover(paths);
  const total = found.packages.reduce((n, p) => n + p.revisions.length, 0);
  const threads = jobs !== 1 && os.availableParallelism() > 1;
  const readAhead = threads && total >= READ_AHEAD_REVISIONS ? new ReadAhead(found.packages.map((p) => p.revisions), REVISION_FILE_NAMES) : undefined;
  return { start, found, total, readAhead };
}

/** Small helpers shared by the benchmarks. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function timeMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/**
 * Reads every file under `dir` (and lists every directory), so that a run that follows finds
 * its input in the page cache, as after a checkout or an edit. This machine's memory reclaim
 * (DAMON) evicts files idle for a few seconds; reading 1,200 revisions back from its disk
 * added up to 0.3 s to a run, a figure of the disk, not of the tool.
 */
export function warmFiles(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) warmFiles(p);
    else if (e.isFile()) fs.readFileSync(p);
  }
}

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

/**
 * A node option pair (`--import` and a module) that makes a child process print, at its exit,
 * the CPU time of all its threads and its peak RSS; read them back with resourceUsageOf.
 */
export const RESOURCE_USAGE_PRELOAD = [
  '--import',
  'data:text/javascript,' +
    encodeURIComponent(
      "import { isMainThread } from 'node:worker_threads';" +
        "if (isMainThread) process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nRUSAGE ' + JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }) + '\\n'); });",
    ),
] as const;

/** What RESOURCE_USAGE_PRELOAD printed on a child's stderr: CPU in ms, peak RSS in MB. */
export function resourceUsageOf(stderr: string): { cpuMs: number; maxRssMb: number } {
  const usage = /RUSAGE (\{.*\})/.exec(stderr);
  if (usage === null) throw new Error(`no resource usage from the child: ${stderr}`);
  const u = JSON.parse(usage[1] as string) as { maxRssKb: number; cpuUs: number };
  return { cpuMs: u.cpuUs / 1000, maxRssMb: u.maxRssKb / 1024 };
}

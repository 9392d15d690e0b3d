/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and prints
 * their figures. Each module exports `name` and `run(): Promise<void>`, which prints its own
 * lines; medians of repeated runs, measured on this machine in one run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, median } from './stats.js';

interface BenchModule {
  name: string;
  run(): Promise<void>;
}

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

// This machine's speed changes by up to 1.7x from one hour to the next (a shared host): the
// start of an empty node process, timed before each benchmark, says which phase a figure is from.
// NODE_EXTRA_CA_CERTS, when set, makes node read a bundle of certificates at every start.
function nodeStartMs(env: NodeJS.ProcessEnv = process.env): number {
  const times = Array.from({ length: 10 }, () => {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { env });
    return Number(process.hrtime.bigint() - t) / 1e6;
  });
  return median(times);
}

function machine(): string {
  const start = `\`node -e 0\` takes ${fmt(nodeStartMs(), 0)} ms`;
  if (process.env.NODE_EXTRA_CA_CERTS === undefined) return start;
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return `${start} (${fmt(nodeStartMs(env), 0)} ms without NODE_EXTRA_CA_CERTS)`;
}

for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as BenchModule;
  console.log(`\n== ${mod.name} (${f}); machine: ${machine()}, load average ${os.loadavg().map((l) => fmt(l, 2)).join(' ')}`);
  await mod.run();
}

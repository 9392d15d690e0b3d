/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and prints
 * their figures. Each module exports `name` and `run(): Promise<void>`, which prints its own
 * lines; medians of repeated runs, measured on this machine in one run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as BenchModule;
  console.log(`\n== ${mod.name} (${f})`);
  await mod.run();
}

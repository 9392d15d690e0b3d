#!/usr/bin/env node
/**
 * Starts the command line (program.ts). Built (`npm run build`), it runs the CLI bundled into
 * one CommonJS file by tools/bundle.mjs (dist/cli/ecr-universe.cjs): node then loads one file
 * instead of resolving and linking some sixty ES modules, about 0.05 s less for `validate`.
 * Without the bundle (from the sources, or before `npm run build` finished) program.ts runs
 * as modules.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

type Main = () => Promise<void>;

function bundledMain(): Main | undefined {
  if (import.meta.url.endsWith('.ts')) return undefined;
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cli/ecr-universe.cjs');
  if (!fs.existsSync(file)) return undefined;
  return (createRequire(import.meta.url)(file) as { main: Main }).main;
}

const main: Main = bundledMain() ?? (await import('./program.js')).main;
await main();

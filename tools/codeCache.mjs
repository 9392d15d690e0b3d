// Makes V8's code cache of the CLI bundle (dist/cli/ecr-universe.cjs.cache), which
// bin/ecr-universe.cjs hands to V8 when it compiles the bundle; run by `npm run build` after
// tools/bundle.mjs. The bundle is loaded as the bin loads it, the commands users run most
// (validate, render, build) run once on the project's own repository, and the cache then holds
// every function they compiled. Their output is discarded. Where the sample corpus is at hand
// (../shared), validate also runs on it: its packages reach more of the checks, so more of
// what a run on another repository compiles is in the cache (measured: 0.05 s of a validate of
// 1,200 revisions, against 0.02 s with the project's repository alone).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const { loadBundle, CODE_CACHE } = require('../bin/ecr-universe.cjs');

fs.rmSync(CODE_CACHE, { force: true });
const revisions = 'repo/packages/E/ecr-credential-helper';
const latest = fs.readdirSync(revisions).sort((a, b) => Number(b) - Number(a))[0];
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-universe-code-cache-'));
const corpus = path.join('..', 'shared', 'corpus', 'universe-sample', 'packages');
// With --jobs 1, the checks run on this thread too, so that the precompiled validators they
// load and compile here are what writePrecompiledCodeCaches keeps (worker threads load the
// same modules with these caches).
const runs = [
  ...(fs.existsSync(corpus) ? [['validate', corpus, '--json', '--jobs', '1']] : []),
  ['validate', 'repo', '--json'],
  ['validate', 'repo'],
  ['render', path.join(revisions, latest)],
  ['build', 'repo/packages', '--out', path.join(out, 'universe')],
  ['build', 'repo/packages', '--out', path.join(out, 'universe'), '--jobs', '1'],
];

const { exports: cli, script } = loadBundle();
const streams = [process.stdout, process.stderr];
const writes = streams.map((s) => s.write);
const discard = (_chunk, encoding, callback) => {
  const done = typeof encoding === 'function' ? encoding : callback;
  if (typeof done === 'function') process.nextTick(done);
  return true;
};
const argv = process.argv;
try {
  for (const args of runs) {
    for (const s of streams) s.write = discard;
    process.argv = [argv[0], 'ecr-universe', ...args];
    try {
      await cli.main();
    } finally {
      streams.forEach((s, i) => (s.write = writes[i]));
    }
    // A finding in the corpus (exit 1) does not stop the build; a crash or wrong usage does.
    if (process.exitCode !== undefined && process.exitCode !== 0 && !(args[1] === corpus && process.exitCode === 1)) {
      throw new Error(`ecr-universe ${args.join(' ')} exited ${process.exitCode}`);
    }
    process.exitCode = undefined;
  }
} finally {
  process.argv = argv;
  fs.rmSync(out, { recursive: true, force: true });
}
const data = script.createCachedData();
fs.writeFileSync(CODE_CACHE, data);
const validators = cli.writePrecompiledCodeCaches();
console.log(`code cache ${path.relative(process.cwd(), CODE_CACHE)} (${(data.length / 1e6).toFixed(2)} MB) after ${runs.map((r) => r[0]).join(', ')}; and of ${validators.length} precompiled validator modules`);

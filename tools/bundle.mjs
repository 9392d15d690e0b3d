// Bundles the compiled CLI (dist/generator/cli/program.js, from tsc) into one CommonJS file,
// dist/cli/ecr-universe.cjs, which bin/ecr-universe.cjs loads, and each worker thread's module
// into one of its own (dist/cli/<module>.cjs, see generator/threads.ts); run by `npm run build`.
// Node loads one CommonJS file instead of resolving and linking dozens of ES modules, and
// needs no ES module loader at all: a worker answers some 50 ms sooner. The packages loaded on
// demand (ajv, yaml, handlebars) and the precompiled validators stay files of their own.
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

/** Worker modules (paths under generator/, as generator/threads.ts names them). */
const WORKERS = ['load/reader', 'validate/worker', 'build/worker'];

const bundles = [['dist/generator/cli/program.js', 'dist/cli/ecr-universe.cjs'], ...WORKERS.map((m) => [`dist/generator/${m}.js`, `dist/cli/${m.replace('/', '-')}.cjs`])];

fs.rmSync('dist/cli', { recursive: true, force: true });
for (const [entry, out] of bundles) {
  await esbuild.build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Modules find the package's files from their own location: in the bundle, the bundle's.
    define: { 'import.meta.url': '__ecrUniverseUrl' },
    banner: { js: "const __ecrUniverseUrl = require('node:url').pathToFileURL(__filename).href;" },
    // import.meta.resolve is only used from the TypeScript sources (generator/threads.ts).
    logOverride: { 'empty-import-meta': 'silent' },
    logLevel: 'warning',
  });
}
console.log(`bundled ${bundles.map(([, out]) => `${out} (${(fs.statSync(out).size / 1e6).toFixed(2)} MB)`).join(', ')}`);

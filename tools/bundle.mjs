// Bundles the compiled CLI (dist/generator/cli/program.js, from tsc) into one CommonJS file,
// dist/cli/ecr-universe.cjs, which generator/cli/main.ts loads; run by `npm run build`. The
// packages the CLI loads on demand (ajv, yaml, handlebars), the worker modules and the
// precompiled validators stay files of their own.
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

const out = 'dist/cli/ecr-universe.cjs';
fs.rmSync('dist/cli', { recursive: true, force: true });
await esbuild.build({
  entryPoints: ['dist/generator/cli/program.js'],
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
console.log(`bundled ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`);

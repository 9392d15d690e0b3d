#!/usr/bin/env node
// The command line's entry. CommonJS on purpose: node starts a CommonJS script some 20 ms
// sooner than an ES module (it sets up no ES module loader). It runs the CLI as bundled by
// `npm run build` (dist/cli/ecr-universe.cjs, see tools/bundle.mjs), or, without the bundle,
// the compiled modules of dist/generator/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli', 'ecr-universe.cjs');

function notBuilt() {
  process.stderr.write(`error: ecr-universe is not built (no ${path.relative(process.cwd(), dist) || '.'}): run npm run build\n`);
  process.exitCode = 1;
}

if (fs.existsSync(bundle)) {
  require(bundle).main();
} else if (fs.existsSync(path.join(dist, 'generator', 'cli', 'program.js'))) {
  import('../dist/generator/cli/program.js').then((m) => m.main());
} else {
  notBuilt();
}

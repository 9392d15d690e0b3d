#!/usr/bin/env node
// The command line's entry. CommonJS on purpose: node starts a CommonJS script some 20 ms
// sooner than an ES module (it sets up no ES module loader). It runs the CLI as bundled by
// `npm run build` (dist/cli/ecr-universe.cjs, see tools/bundle.mjs), or, without the bundle,
// the compiled modules of dist/generator/.
//
// The bundle is compiled with V8's code cache made by the build (tools/codeCache.mjs, beside
// the bundle as ecr-universe.cjs.cache): the functions a run needs are not parsed and
// compiled again on every start (about 0.05 s of a `validate`). V8 refuses a cache made for
// other source, another V8 or other V8 flags, and the bundle is then compiled as usual.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli', 'ecr-universe.cjs');
const CODE_CACHE = `${bundle}.cache`;

/**
 * Loads the bundle as `require` would, through a vm.Script that takes the code cache. Returns
 * the bundle's exports and the script (whose createCachedData() makes the cache).
 */
function loadBundle() {
  const source = fs.readFileSync(bundle, 'utf8');
  let cachedData;
  try {
    cachedData = fs.readFileSync(CODE_CACHE);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const loaded = new Module(bundle, module);
  loaded.filename = bundle;
  loaded.paths = Module._nodeModulePaths(path.dirname(bundle));
  script.runInThisContext()(loaded.exports, Module.createRequire(bundle), loaded, bundle, path.dirname(bundle));
  loaded.loaded = true;
  return { exports: loaded.exports, script, cacheRejected: cachedData === undefined ? undefined : script.cachedDataRejected === true };
}

/**
 * Worker threads a command is known to start, by command. A worker thread takes this machine
 * 0.07 to 0.15 s to boot (a V8 isolate and node's bootstrap), and `build` ends when its worker
 * does: started here, before the bundle loads, the worker boots on the other core while this
 * thread loads the CLI, and threads.ts startWorker adopts it (measured: 0.02 s less per build).
 */
const PRESTART = { build: ['build/worker'] };
const PRESTARTED = Symbol.for('ecr-universe.prestarted-workers');

function prestartWorkers(command) {
  const modules = Object.hasOwn(PRESTART, command) ? PRESTART[command] : [];
  if (modules.length === 0) return;
  const { Worker } = require('node:worker_threads');
  const started = [];
  for (const module of modules) {
    const file = path.join(dist, 'cli', `${module.replace('/', '-')}.cjs`);
    let worker;
    try {
      // The bundles need no loader options (tsx, ...): the worker gets none of this process's.
      worker = new Worker(file, { execArgv: [] });
    } catch {
      continue;
    }
    const entry = { module, file, worker, usable: true };
    // Until adopted it keeps the process from nothing, and an early failure is not thrown:
    // startWorker then starts another worker, whose failure the command reports as usual.
    worker.unref();
    worker.on('error', () => (entry.usable = false));
    worker.once('exit', () => (entry.usable = false));
    started.push(entry);
  }
  globalThis[PRESTARTED] = started;
}

function notBuilt() {
  process.stderr.write(`error: ecr-universe is not built (no ${path.relative(process.cwd(), dist) || '.'}): run npm run build\n`);
  process.exitCode = 1;
}

/**
 * Ends the process once the command is done and its output written. Left to itself, node would
 * first tear down the heaps of the main thread and of a build's worker (freeing some 100 MB),
 * which took 27 and 36 ms more per build (paired medians of 12 alternating runs). The command
 * has awaited all its work; what a turn of the event loop still holds (output batched with
 * setImmediate) runs first.
 */
function exitWhenDone() {
  setImmediate(() => {
    let streams = 2;
    const flushed = () => {
      if (--streams === 0) process.exit();
    };
    process.stdout.write('', flushed);
    process.stderr.write('', flushed);
  });
}

if (require.main === module) {
  if (fs.existsSync(bundle)) {
    prestartWorkers(process.argv[2]);
    loadBundle().exports.main().then(exitWhenDone);
  } else if (fs.existsSync(path.join(dist, 'generator', 'cli', 'program.js'))) {
    import('../dist/generator/cli/program.js').then((m) => m.main()).then(exitWhenDone);
  } else {
    notBuilt();
  }
} else {
  module.exports = { loadBundle, CODE_CACHE, prestartWorkers, PRESTARTED };
}

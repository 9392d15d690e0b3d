/**
 * Worker threads of the pipeline (validate's reader and content workers, build's worker): one
 * way to start them from the compiled build (dist/) and from the TypeScript sources (tests and
 * benchmarks under tsx).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { FROM_SOURCES, PACKAGE_ROOT } from './packageRoot.js';

/**
 * Starts the worker module `module` (a path under generator/ without extension, such as
 * `validate/worker`): built, its bundle dist/cli/<module with - for />.cjs (tools/bundle.mjs)
 * or else dist/generator/<module>.js; from the sources generator/<module>.ts. From the
 * sources, a worker does not inherit tsx's module hooks unless the process was started with
 * them, so a small bootstrap registers them first.
 */
export function startWorker(module: string, options: WorkerOptions = {}): Worker {
  const execArgv = workerExecArgv(process.execArgv);
  if (!FROM_SOURCES) {
    const prestarted = Object.keys(options).length === 0 ? adoptPrestarted(module) : undefined;
    return prestarted ?? new Worker(workerFile(module), { ...options, execArgv });
  }
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = pathToFileURL(path.join(PACKAGE_ROOT, 'generator', `${module}.ts`)).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(bootstrap, { ...options, eval: true, execArgv });
}

/** A worker bin/ecr-universe.cjs started before the CLI loaded (see PRESTART there). */
interface PrestartedWorker {
  module: string;
  file: string;
  worker: Worker;
  /** False once it failed or stopped. */
  usable: boolean;
}

const PRESTARTED = Symbol.for('ecr-universe.prestarted-workers');

/** Takes the prestarted worker of `module`, if there is one that still runs the file this build would start. */
export function adoptPrestarted(module: string): Worker | undefined {
  const list = (globalThis as { [PRESTARTED]?: PrestartedWorker[] })[PRESTARTED];
  const i = list?.findIndex((p) => p.module === module) ?? -1;
  if (list === undefined || i < 0) return undefined;
  const [p] = list.splice(i, 1) as [PrestartedWorker];
  if (!p.usable || p.file !== workerFile(module)) {
    void p.worker.terminate();
    return undefined;
  }
  p.worker.ref();
  return p.worker;
}

/** The file each worker module runs, once looked up. */
const workerFiles = new Map<string, string>();

/** The built file a worker of `module` runs: its bundle, or its compiled module without one. */
export function workerFile(module: string): string {
  let file = workerFiles.get(module);
  if (file === undefined) {
    const bundle = path.join(PACKAGE_ROOT, 'dist', 'cli', `${module.replace('/', '-')}.cjs`);
    file = fs.existsSync(bundle) ? bundle : path.join(PACKAGE_ROOT, 'dist', 'generator', `${module}.js`);
    workerFiles.set(module, file);
  }
  return file;
}

/** Options that take a value and that a worker needs: how this process loads modules (tsx, ...). */
const LOADER_OPTIONS = /^(--import|--require|-r|--loader|--experimental-loader|--conditions|-C)$/;

/**
 * The node options of this process that a worker takes: those about loading modules (such as
 * tsx's `--import tsx`), nothing else. A worker refuses V8 options (`--max-old-space-size`,
 * `--stack-size`, ...: ERR_WORKER_INVALID_EXEC_ARGV) and what applies to the main script only
 * (`-e`, `--input-type`); its heap limits follow the process's anyway.
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!LOADER_OPTIONS.test(name)) continue;
    out.push(a);
    if (eq < 0 && i + 1 < argv.length) out.push(argv[++i] as string);
  }
  return out;
}

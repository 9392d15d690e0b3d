import { fork, type ChildProcess } from 'node:child_process';
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import * as os from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { stringifyJson } from '../../json/stringify.js';
import { BuildError } from '../../build/build.js';
import { DEFAULT_IMAGE, startServer, universeServerApp } from '../../serve/index.js';
import { listenReusePort, REUSE_PORT } from '../../serve/reusePort.js';
import { EXIT_FAILURE, EXIT_OK, runAction, UsageError, writeStdout } from '../run.js';

interface ServeFlags {
  host: string;
  port: number;
  watch?: boolean;
  marathonApp?: boolean;
  image?: string;
  accessLog: boolean;
  workers: number;
}

function parseWorkers(v: string): number {
  if (v === 'auto') return os.availableParallelism();
  if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError('expected a number of processes (1, 2, ...) or auto');
  return Number(v);
}

function parsePort(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new InvalidArgumentError('expected a port number (0-65535)');
  return Number(v);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve a Universe repository to DC/OS clusters (dcos package repo add NAME http://HOST:PORT/repo), as the public Universe server does')
    .argument('[dir]', 'a build directory (ecr-universe build --out) or a packages directory, built in memory')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', parsePort, 8085)
    .option('--watch', 'rebuild (or reload) when the directory changes; a failed rebuild keeps the last good one')
    .option('--marathon-app', 'print a Marathon app that runs this server on DC/OS, and exit')
    .option('--image <image>', `Docker image of the Marathon app (default ${DEFAULT_IMAGE})`)
    .option('--no-access-log', 'do not print one line per request on stdout')
    .option('--workers <n>', 'server processes sharing the port (auto: one per CPU); each loads the site', parseWorkers, 1)
    .action((dir: string | undefined, flags: ServeFlags) => runAction(() => serve(dir, flags)));
}

async function serve(dir: string | undefined, flags: ServeFlags): Promise<number> {
  if (flags.image !== undefined && !flags.marathonApp) throw new UsageError('--image goes with --marathon-app');
  if (flags.marathonApp) {
    const app = universeServerApp({ image: flags.image ?? DEFAULT_IMAGE, port: flags.port === 0 ? 8085 : flags.port });
    await writeStdout(`${stringifyJson(app, 2)}\n`);
    return EXIT_OK;
  }
  if (dir === undefined) throw new UsageError('serve needs a build directory or a packages directory');
  const inheritedFd = inheritedListenFd();
  if (flags.workers > 1 && cluster.isPrimary && inheritedFd === undefined) return supervise(dir, flags);
  try {
    return await serveHere(dir, flags, inheritedFd);
  } finally {
    // A worker's channel to its primary would keep it alive once it has stopped or failed.
    if (cluster.isWorker) cluster.worker?.disconnect();
    else if (inheritedFd !== undefined && process.connected) process.disconnect();
  }
}

/** Serves in this process, on host and port or on the listening socket `fd`, until SIGINT or SIGTERM. */
async function serveHere(dir: string, flags: ServeFlags, fd: number | undefined): Promise<number> {
  const log = flags.accessLog ? bufferedStdout() : undefined;
  // `--workers` processes all load the same site: one of them tells of its errors and reloads.
  const speaks = fd !== undefined ? process.env[WORKER_INDEX_ENV] === '0' : !cluster.isWorker || cluster.worker?.id === 1;
  let running;
  try {
    running = await startServer({
      input: dir,
      host: flags.host,
      port: flags.port,
      fd,
      watch: flags.watch === true,
      accessLog: log,
      info: speaks ? (m) => process.stderr.write(`${m}\n`) : undefined,
    });
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    if (speaks) {
      for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      process.stderr.write(`${e.message}; not serving\n`);
    }
    return EXIT_FAILURE;
  }
  const { address } = running;
  const revisions = running.server.site.revisions;
  if (fd !== undefined) process.send?.(LISTENING);
  else if (cluster.isPrimary) {
    process.stderr.write(`serving ${dir}${revisions === undefined ? '' : ` (${revisions} revisions, built in memory)`} at ${repoUrl(address.address, address.port)}${flags.watch ? ', watching for changes' : ''}\n`);
  }
  // A process of `--workers` also stops when its primary is gone (as node:cluster's do).
  await untilStopped(fd !== undefined);
  await running.close();
  return EXIT_OK;
}

function repoUrl(address: string, port: number): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}/repo`;
}

/** Resolves at the first SIGINT or SIGTERM, or when the channel to the parent closes. */
function untilStopped(orDisconnected = false): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('disconnect', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (orDisconnected) process.on('disconnect', stop);
  });
}

/**
 * A `--workers` process started with a listening socket of its own gets it in this stdio slot
 * (after stdin, stdout, stderr and the IPC channel), and this variable says so.
 */
const LISTEN_FD = 4;
const LISTEN_FD_ENV = 'ECR_UNIVERSE_LISTEN_FD';
/** Which of the `--workers` processes this is, from 0. */
const WORKER_INDEX_ENV = 'ECR_UNIVERSE_WORKER_INDEX';
/** What such a process sends its primary once it serves. */
const LISTENING = 'ecr-universe:listening';

function inheritedListenFd(): number | undefined {
  return process.env[LISTEN_FD_ENV] === String(LISTEN_FD) && process.connected ? LISTEN_FD : undefined;
}

/** Server processes started by `supervise`. */
interface Workers {
  processes: ChildProcess[];
  /** Calls `listening` once process `index` serves. */
  onListening(index: number, listening: () => void): void;
  /** Where they serve, once they do. */
  address(): { address: string; port: number };
}

/**
 * `--workers N`: N processes each serve the site on the same port, and the kernel spreads the
 * connections (no hand-over through this process). With the reuseport addon each process has a
 * socket of its own (reusePort.ts); without it they share one through node:cluster. When a
 * process fails to start, the others are stopped once they have started or failed too (all
 * load the same site, and the one that reports its errors must not be cut short); when all
 * have exited, so does this one.
 */
async function supervise(dir: string, flags: ServeFlags): Promise<number> {
  const workers = REUSE_PORT ? await forkWithOwnSockets(flags) : forkCluster(flags);
  const exited = (p: ChildProcess): boolean => p.exitCode !== null || p.signalCode !== null;
  const stopAll = (): Promise<void> =>
    Promise.all(
      workers.processes.map((p) =>
        exited(p)
          ? undefined
          : new Promise<void>((resolve) => {
              p.once('exit', () => resolve());
              p.kill('SIGTERM');
            }),
      ),
    ).then(() => undefined);
  const allExited = Promise.all(workers.processes.map((p) => new Promise<void>((resolve) => (exited(p) ? resolve() : p.once('exit', () => resolve())))));
  const started = await new Promise<boolean>((resolve) => {
    let starting = workers.processes.length;
    let failed = false;
    workers.processes.forEach((p, index) => {
      let settled = false;
      const settle = (listening: boolean): void => {
        if (settled) return;
        settled = true;
        if (!listening) failed = true;
        if (--starting === 0) resolve(!failed);
      };
      workers.onListening(index, () => settle(true));
      p.once('exit', () => settle(false));
    });
  });
  if (!started) {
    await stopAll();
    return EXIT_FAILURE;
  }
  const { address, port } = workers.address();
  process.stderr.write(`serving ${dir} at ${repoUrl(address, port)} with ${workers.processes.length} processes${flags.watch ? ', watching for changes' : ''}\n`);
  const stopped = await Promise.race([untilStopped().then(() => true), allExited.then(() => false)]);
  await stopAll();
  return stopped ? EXIT_OK : EXIT_FAILURE;
}

/** The processes, each given a listening socket of its own on the shared port. */
async function forkWithOwnSockets(flags: ServeFlags): Promise<Workers> {
  const group = await listenReusePort(flags.host, flags.port, flags.workers);
  let processes: ChildProcess[];
  try {
    processes = group.fds.map((fd, index) =>
      fork(process.argv[1] as string, process.argv.slice(2), {
        execArgv: process.execArgv,
        stdio: ['inherit', 'inherit', 'inherit', 'ipc', fd],
        env: { ...process.env, [LISTEN_FD_ENV]: String(LISTEN_FD), [WORKER_INDEX_ENV]: String(index) },
      }),
    );
  } finally {
    // Each process has its own copy now.
    group.close();
  }
  return {
    processes,
    onListening: (index, listening) => (processes[index] as ChildProcess).on('message', (m) => m === LISTENING && listening()),
    address: () => ({ address: group.address, port: group.port }),
  };
}

/** The processes as node:cluster workers sharing the primary's socket. */
function forkCluster(flags: ServeFlags): Workers {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const workers = Array.from({ length: flags.workers }, () => cluster.fork());
  let where = { address: flags.host, port: flags.port };
  return {
    processes: workers.map((w) => w.process),
    onListening: (index, listening) =>
      (workers[index] as ClusterWorker).once('listening', (address: { address: string | null; port: number }) => {
        where = { address: address.address ?? flags.host, port: address.port };
        listening();
      }),
    address: () => where,
  };
}

/** Access-log lines to stdout, written in batches so logging costs little under load. */
function bufferedStdout(): (line: string) => void {
  let lines: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    lines = [];
    process.stdout.write(text);
  };
  return (line) => {
    lines.push(line);
    if (lines.length >= 256) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

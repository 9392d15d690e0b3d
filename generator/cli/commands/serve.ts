import cluster from 'node:cluster';
import * as os from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { stringifyJson } from '../../json/stringify.js';
import { BuildError } from '../../build/build.js';
import { DEFAULT_IMAGE, startServer, universeServerApp } from '../../serve/index.js';
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
  if (flags.workers > 1 && cluster.isPrimary) return supervise(dir, flags);
  const log = flags.accessLog ? bufferedStdout() : undefined;
  let running;
  try {
    running = await startServer({
      input: dir,
      host: flags.host,
      port: flags.port,
      watch: flags.watch === true,
      accessLog: log,
      info: (m) => process.stderr.write(`${m}\n`),
    });
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`${e.message}; not serving\n`);
    return EXIT_FAILURE;
  }
  const { address } = running;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const revisions = running.server.site.revisions;
  if (cluster.isPrimary) {
    process.stderr.write(`serving ${dir}${revisions === undefined ? '' : ` (${revisions} revisions, built in memory)`} at http://${host}:${address.port}/repo${flags.watch ? ', watching for changes' : ''}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(() => {
        // A cluster worker's channel to the primary would keep it alive.
        if (cluster.isWorker) cluster.worker?.disconnect();
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return EXIT_OK;
}

/**
 * `--workers N`: N processes (node:cluster) each serve the site on the same port; the kernel
 * spreads the connections (no hand-over through this process). A worker that fails to start
 * stops them all.
 */
async function supervise(dir: string, flags: ServeFlags): Promise<number> {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const workers = Array.from({ length: flags.workers }, () => cluster.fork());
  const started = await new Promise<{ address: string; port: number } | undefined>((resolve) => {
    let listening = 0;
    cluster.on('listening', (_worker, address) => {
      if (++listening === workers.length) resolve({ address: address.address ?? flags.host, port: address.port });
    });
    cluster.on('exit', () => resolve(undefined));
  });
  const stopAll = (): Promise<void> =>
    Promise.all(
      workers.map((w) =>
        w.isDead()
          ? undefined
          : new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
      ),
    ).then(() => undefined);
  if (started === undefined) {
    await stopAll();
    return EXIT_FAILURE;
  }
  process.stderr.write(`serving ${dir} at http://${started.address}:${started.port}/repo with ${workers.length} processes${flags.watch ? ', watching for changes' : ''}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void stopAll().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return EXIT_OK;
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

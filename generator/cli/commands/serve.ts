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
  process.stderr.write(`serving ${dir}${revisions === undefined ? '' : ` (${revisions} revisions, built in memory)`} at http://${host}:${address.port}/repo${flags.watch ? ', watching for changes' : ''}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
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

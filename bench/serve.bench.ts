/**
 * Requests per second on `/repo` as a DC/OS 1.10 cluster asks for it (Accept: the v4 and v3
 * repo media types, User-Agent `cosmos/... dcos/1.10.0`), plain and gzip, measured with wrk
 * (Debian package `wrk`) for 30 s each, against `ecr-universe serve` and against Debian's nginx
 * serving the same build directory with the same negotiation (as the public Universe server's
 * nginx does it). wrk and nginx are needed only here: `apt-get install wrk nginx-light`.
 * BENCH_SERVE_SECONDS shortens the runs. Both servers run side by side, and each is measured
 * twice, in the order ecr-universe, nginx, nginx, ecr-universe: the host's speed drifts by tens
 * of percent within minutes, and one run of each, back to back, gave either side the lead.
 *
 * On 2 cores, wrk needs about as much CPU as the server (it reads every body in 8 KiB calls), so
 * the scheduler's split of the cores between them weighs on the figure as much as the server
 * does. Each run therefore also reports the server's own CPU time per request (all its
 * processes and threads, from /proc), and one process is measured a second time with the
 * server on CPU 0 and wrk on CPU 1 (taskset), where neither takes the other's core.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUniverse, writeBuild } from '../generator/build/index.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../test/support/fixtures.js';
import { childrenOf, statFields } from '../test/support/proc.js';
import { fmt } from './stats.js';

export const name = 'serve';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 30);
const MEDIA = (v: string): string => `application/vnd.dcos.universe.repo+json;charset=utf-8;version=${v}`;
const HEADERS = [`Accept: ${MEDIA('v4')},${MEDIA('v3')}`, 'User-Agent: cosmos/0.5.2 dcos/1.10.0'];

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

interface WrkResult {
  rps: number;
  /** CPU time of the server's processes per request, in microseconds. */
  cpuUsPerRequest: number;
  requests: number;
  errors: string[];
  latency: string;
  transfer: string;
}

const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User and system CPU seconds of these processes, all threads. */
function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = statFields(pid);
    // utime and stime are fields 14 and 15, the 12th and 13th from the state.
    if (stat !== undefined) ticks += Number(stat[11]) + Number(stat[12]);
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Runs every thread of these processes on the given CPUs only. */
function pin(pids: readonly number[], cpus: string): void {
  for (const pid of pids) {
    const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`taskset failed: ${r.stderr}`);
  }
}

interface Target {
  port: number;
  /** The server's processes, whose CPU time is counted. */
  pids: number[];
}

function wrk(target: Target, gzip: boolean, cpu?: string): WrkResult {
  const args = ['-t2', '-c32', `-d${SECONDS}s`, '--latency'];
  for (const h of [...HEADERS, ...(gzip ? ['Accept-Encoding: gzip'] : [])]) args.push('-H', h);
  args.push(`http://127.0.0.1:${target.port}/repo`);
  const before = cpuSeconds(target.pids);
  const r = cpu === undefined ? spawnSync('wrk', args, { encoding: 'utf8' }) : spawnSync('taskset', ['-c', cpu, 'wrk', ...args], { encoding: 'utf8' });
  const serverCpu = cpuSeconds(target.pids) - before;
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const out = r.stdout;
  const errors: string[] = [];
  const socket = /Socket errors: (.*)/.exec(out);
  if (socket) errors.push(`socket errors: ${socket[1]}`);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (non2xx) errors.push(`${non2xx[1]} non-2xx responses`);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    cpuUsPerRequest: requests > 0 ? (serverCpu * 1e6) / requests : 0,
    requests,
    errors,
    latency: /Latency\s+(\S+)/.exec(out)?.[1] ?? '?',
    transfer: /Transfer\/sec:\s+(\S+)/.exec(out)?.[1] ?? '?',
  };
}

/** nginx doing what the public Universe server's nginx does for /repo, on the same files. */
function nginxConfig(prefix: string, root: string, port: number, workers: number): string {
  const types = (v: string): string => `types { "${MEDIA(v)}" json; }`;
  return `worker_processes ${workers};
error_log ${prefix}/error.log warn;
pid ${prefix}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    gzip_static on;
    set $dcos_release_version 2.0;
    if ($http_user_agent ~ "dcos/1\\.10") { set $dcos_release_version 1.10; }
    set $universe_version "";
    if ($http_accept ~ "version=v3") { set $universe_version v3; }
    if ($http_accept ~ "version=v4") { set $universe_version v4; }
    if ($http_accept ~ "version=v5") { set $universe_version v5; }
    location = /repo { rewrite ^ /$universe_version/repo-up-to-$dcos_release_version.json last; }
    location /v3/ { internal; ${types('v3')} rewrite ^/v3(/.*)$ $1 break; }
    location /v4/ { internal; ${types('v4')} rewrite ^/v4(/.*)$ $1 break; }
    location /v5/ { internal; ${types('v5')} rewrite ^/v5(/.*)$ $1 break; }
  }
}
`;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function run(): Promise<void> {
  if (!sharedAvailable()) {
    console.log('skipped: ../shared (the sample corpus) is not present');
    return;
  }
  if (which('wrk') === undefined) {
    console.log('skipped: wrk is not installed (apt-get install wrk)');
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-universe-bench-serve-'));
  fs.chmodSync(tmp, 0o755); // nginx workers started by root run as nobody
  const children: ChildProcess[] = [];
  try {
    const out = path.join(tmp, 'universe');
    await writeBuild(await buildUniverse(CORPUS_PACKAGES_DIR), out);
    const size = fs.statSync(path.join(out, 'repo-up-to-1.10.json')).size;
    const gzSize = fs.statSync(path.join(out, 'repo-up-to-1.10.json.gz')).size;
    console.log(`/repo for DC/OS 1.10 = repo-up-to-1.10.json, ${size} bytes (gzip ${gzSize}); wrk -t2 -c32 -d${SECONDS}s; ${os.cpus().length} CPUs, load average ${fmt(os.loadavg()[0] ?? 0, 1)}`);

    /** Two runs of one side: their means, each run, and any error either met. */
    const report = (label: string, runs: WrkResult[]): void => {
      const errors = runs.flatMap((r) => r.errors);
      const mean = (f: (r: WrkResult) => number): number => runs.reduce((sum, r) => sum + f(r), 0) / runs.length;
      const each = runs.map((r) => `${fmt(r.rps, 0)} (${r.requests} requests, ${fmt(r.cpuUsPerRequest, 1)} µs, latency avg ${r.latency}, ${r.transfer}/s)`).join(', ');
      console.log(
        `  ${label}: ${fmt(mean((r) => r.rps), 0)} requests/s, server CPU ${fmt(mean((r) => r.cpuUsPerRequest), 1)} µs per request; mean of ${each}${errors.length > 0 ? `; ERRORS: ${errors.join(', ')}` : '; no errors'}`,
      );
    };
    const haveNginx = which('nginx') !== undefined;
    if (!haveNginx) console.log('nginx comparison skipped: nginx is not installed (apt-get install nginx-light)');
    const canPin = which('taskset') !== undefined && os.availableParallelism() >= 2;

    // Same number of processes on both sides, both servers up at once, measured in turn (see above).
    for (const processes of [...new Set([1, os.availableParallelism()])]) {
      const port = await freePort();
      const server = spawn(process.execPath, [path.join(ROOT, 'bin/ecr-universe.cjs'), 'serve', out, '--port', String(port), '--no-access-log', '--workers', String(processes)], { stdio: 'ignore' });
      children.push(server);
      await waitForPort(port);
      let nginx: ChildProcess | undefined;
      let nport = 0;
      if (haveNginx) {
        const prefix = path.join(tmp, `nginx-${processes}`);
        fs.mkdirSync(prefix);
        nport = await freePort();
        fs.writeFileSync(path.join(prefix, 'nginx.conf'), nginxConfig(prefix, out, nport, processes));
        nginx = spawn('nginx', ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
        children.push(nginx);
        await waitForPort(nport);
      }
      // Workers are up once their port answers and the primary has forked them all.
      await new Promise((r) => setTimeout(r, 500));
      const ours: Target = { port, pids: [server.pid as number, ...childrenOf(server.pid as number)] };
      const theirs: Target | undefined = nginx === undefined ? undefined : { port: nport, pids: [nginx.pid as number, ...childrenOf(nginx.pid as number)] };
      const passes: { wrkCpu?: string; title: string }[] = [{ title: 'sharing both cores with wrk' }];
      if (processes === 1 && canPin) passes.push({ wrkCpu: '1', title: 'the server on CPU 0, wrk on CPU 1 (taskset)' });
      for (const pass of passes) {
        if (pass.wrkCpu !== undefined) for (const t of [ours, theirs]) if (t !== undefined) pin(t.pids, '0');
        console.log(`${processes} process${processes > 1 ? 'es' : ''} (ecr-universe serve --workers ${processes}, nginx worker_processes ${processes}), ${pass.title}:`);
        for (const gzip of [false, true]) {
          const kind = gzip ? 'gzip' : 'plain';
          const oursRuns = [wrk(ours, gzip, pass.wrkCpu)];
          const theirRuns = theirs === undefined ? [] : [wrk(theirs, gzip, pass.wrkCpu), wrk(theirs, gzip, pass.wrkCpu)];
          oursRuns.push(wrk(ours, gzip, pass.wrkCpu));
          report(`ecr-universe serve, ${kind}`, oursRuns);
          if (theirs !== undefined) report(`nginx, ${kind}${gzip ? ' (gzip_static)' : ''}`, theirRuns);
        }
      }
      await stop(server);
      if (nginx !== undefined) await stop(nginx);
    }
  } finally {
    for (const c of children) await stop(c);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

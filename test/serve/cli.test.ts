import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseJson } from '../../generator/json/parse.js';
import { isJsonObject, toPlain } from '../../generator/json/value.js';
import { validateMarathonApp } from '../../generator/schemas/marathon.js';
import { smallRepo, tempDir, writeFiles } from '../build/support.js';
import { PROJECT_ROOT, runCli, STACK_TRACE } from '../support/cli.js';
import { alive, childrenOf } from '../support/proc.js';
import { COSMOS_ACCEPT, listeningSockets, MEDIA, request } from './support.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('ecr-universe serve', () => {
  it('serves a packages directory until SIGTERM, logging each request on stdout', async () => {
    const root = writeFiles(tempDir('cli-serve'), smallRepo());
    dirs.push(root);
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/ecr-universe.cjs'), 'serve', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /at (http:\/\/127\.0\.0\.1:\d+)\/repo/.exec(stderr);
        if (m) resolve(m[1] as string);
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    assert.match(stderr, /\(3 revisions, built in memory\)/);
    const port = Number(new URL(url).port);
    const r = await request(port, '/repo', { Accept: COSMOS_ACCEPT.v4, 'User-Agent': 'cosmos/0.5.2 dcos/1.10.0' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], MEDIA('v4'));
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
    assert.match(stdout, /"GET \/repo HTTP\/1\.1" 200 \d+ "cosmos\/0\.5\.2 dcos\/1\.10\.0"/);
  });

  for (const mode of ['a socket each', 'one shared socket'] as const) {
    it(`runs several server processes on one port with --workers (${mode})`, { skip: process.platform !== 'linux' ? 'reads /proc' : false }, async () => {
      const root = writeFiles(tempDir('cli-serve-workers'), smallRepo());
      dirs.push(root);
      const env = { ...process.env, ECR_UNIVERSE_NO_REUSE_PORT: mode === 'one shared socket' ? '1' : '' };
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/ecr-universe.cjs'), 'serve', root, '--port', '0', '--workers', '2', '--no-access-log'], { stdio: ['ignore', 'ignore', 'pipe'], env });
      let stderr = '';
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          const m = /at http:\/\/[^:]+:(\d+)\/repo with 2 processes/.exec(stderr);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
      });
      assert.equal(listeningSockets(port), mode === 'a socket each' ? 2 : 1);
      const workers = childrenOf(child.pid as number);
      assert.equal(workers.length, 2);
      for (let i = 0; i < 4; i++) assert.equal((await request(port, '/repo', { Accept: COSMOS_ACCEPT.v5 })).status, 200);
      const code = await new Promise<number | null>((resolve) => {
        child.on('close', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      assert.equal(code, 0);
      assert.deepEqual(workers.filter(alive), []);
    });

    // A process that failed used to stay up, its channel to the primary open: the timeout says so.
    it(`exits 1 at once with --workers when the port is taken or the packages do not build (${mode})`, { timeout: 60_000 }, async () => {
      const env = { ECR_UNIVERSE_NO_REUSE_PORT: mode === 'one shared socket' ? '1' : '' };
      const other = net.createServer();
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const port = (other.address() as net.AddressInfo).port;
      try {
        const root = writeFiles(tempDir('cli-serve-workers-taken'), smallRepo());
        dirs.push(root);
        const taken = await runCli(['serve', root, '--port', String(port), '--workers', '2'], { env });
        assert.equal(taken.code, 1);
        assert.match(taken.stderr, new RegExp(`^error: (listen|bind) EADDRINUSE\\b.*127\\.0\\.0\\.1:${port}$`, 'm'));
        assert.doesNotMatch(taken.stderr, STACK_TRACE);
      } finally {
        other.close();
      }
      const bad = writeFiles(tempDir('cli-serve-workers-bad'), { ...smallRepo(), 'A/alpha/0/package.json': '{' });
      dirs.push(bad);
      const failed = await runCli(['serve', bad, '--port', '0', '--workers', '2'], { cwd: bad, env });
      assert.equal(failed.code, 1);
      // Every process loads the packages; one of them tells.
      assert.equal(failed.stderr.match(/^A\/alpha\/0\/package\.json:1:2: error\[json-syntax\]/gm)?.length, 1, failed.stderr);
      assert.doesNotMatch(failed.stderr, STACK_TRACE);
    });
  }

  it('stops a --workers process whose primary is gone', { skip: process.platform !== 'linux' ? 'reads /proc' : false, timeout: 60_000 }, async () => {
    const root = writeFiles(tempDir('cli-serve-orphan'), smallRepo());
    dirs.push(root);
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/ecr-universe.cjs'), 'serve', root, '--port', '0', '--workers', '2', '--no-access-log'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (/with 2 processes/.test(stderr)) resolve();
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    const workers = childrenOf(child.pid as number);
    assert.equal(workers.length, 2);
    child.removeAllListeners('exit');
    child.kill('SIGKILL');
    for (let i = 0; i < 100 && workers.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(workers.filter(alive), []);
  });

  it('exits 1 with the build errors when the packages do not build', async () => {
    const root = writeFiles(tempDir('cli-serve-bad'), { ...smallRepo(), 'A/alpha/0/package.json': '{' });
    dirs.push(root);
    const r = await runCli(['serve', root, '--port', '0'], { cwd: root });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^A\/alpha\/0\/package\.json:1:2: error\[json-syntax\]/m);
    assert.match(r.stderr, /not serving/);
    assert.doesNotMatch(r.stderr, STACK_TRACE);
  });

  it('prints a Marathon app for the server, valid for Marathon', async () => {
    const r = await runCli(['serve', '--marathon-app', '--image', 'registry.example.com/universe:1', '--port', '8086']);
    assert.equal(r.code, 0, r.stderr);
    const app = parseJson(r.stdout).value;
    assert.ok(isJsonObject(app));
    const report = validateMarathonApp(app);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.warnings, []);
    const plain = toPlain(app) as {
      container: { docker: { image: string } };
      constraints: string[][];
      healthChecks: { path: string; portIndex: number }[];
      portDefinitions: { port: number }[];
      requirePorts: boolean;
      cmd: string;
    };
    assert.equal(plain.container.docker.image, 'registry.example.com/universe:1');
    assert.deepEqual(plain.constraints, [['hostname', 'UNIQUE']]);
    assert.equal(plain.healthChecks[0]?.path, '/repo-empty-v3.json');
    assert.equal(plain.healthChecks[0]?.portIndex, 0);
    assert.deepEqual(plain.portDefinitions.map((p) => p.port), [8086]);
    assert.equal(plain.requirePorts, true);
    assert.match(plain.cmd, /ecr-universe serve \/srv\/universe --host 0\.0\.0\.0 --port "\$PORT0"/);
  });

  it('refuses wrong usage with exit 2', async () => {
    assert.equal((await runCli(['serve', '--image', 'x'])).code, 2);
    assert.equal((await runCli(['serve'])).code, 2);
    assert.equal((await runCli(['serve', '.', '--port', 'http'])).code, 2);
  });
});

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildUniverse, writeBuild } from '../../generator/build/index.js';
import { startServer, type RunningServer } from '../../generator/serve/index.js';
import { packageJson, smallRepo, tempDir, TEMPLATE, writeFiles } from '../build/support.js';
import { COSMOS_ACCEPT, request } from './support.js';

const dirs: string[] = [];
const servers: RunningServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Waits for reloads until one ends with `ok` (file events may come in several bursts). */
function reloaded(server: RunningServer, ok: boolean): Promise<void> {
  return new Promise((resolve) => server.onReload((result) => (result === ok ? resolve() : undefined)));
}

async function revisions(port: number): Promise<string[]> {
  const r = await request(port, '/repo', { Accept: COSMOS_ACCEPT.v5, 'User-Agent': 'dcos/2.0.0' });
  assert.equal(r.status, 200);
  return (JSON.parse(r.body.toString()) as { packages: { name: string; releaseVersion: number }[] }).packages.map((p) => `${p.name}/${p.releaseVersion}`);
}

describe('serve --watch', () => {
  it('rebuilds a packages directory on change and keeps the last good build when a rebuild fails', async () => {
    const root = writeFiles(tempDir('watch-packages'), smallRepo());
    dirs.push(root);
    const messages: string[] = [];
    const server = await startServer({ input: root, port: 0, watch: true, debounce: 20, info: (m) => messages.push(m) });
    servers.push(server);
    const port = server.address.port;
    assert.deepEqual(await revisions(port), ['alpha/0', 'alpha/1', 'beta/0']);

    let next = reloaded(server, true);
    writeFiles(root, { 'B/beta/1/package.json': packageJson('beta', { version: '2.0.0' }), 'B/beta/1/marathon.json.mustache': TEMPLATE });
    await next;
    assert.deepEqual(await revisions(port), ['alpha/0', 'alpha/1', 'beta/0', 'beta/1']);

    next = reloaded(server, false);
    fs.writeFileSync(path.join(root, 'B/beta/1/package.json'), '{"name": "beta",');
    await next;
    assert.deepEqual(await revisions(port), ['alpha/0', 'alpha/1', 'beta/0', 'beta/1'], 'the last good build is still served');
    assert.ok(messages.some((m) => m.includes('B/beta/1/package.json') && m.includes('json-syntax')), messages.join('\n'));
    assert.ok(messages.some((m) => m.includes('still serving the last good build')));

    next = reloaded(server, true);
    fs.rmSync(path.join(root, 'B/beta/1'), { recursive: true });
    await next;
    assert.deepEqual(await revisions(port), ['alpha/0', 'alpha/1', 'beta/0']);
  });

  it('reloads a build directory when a new build replaces it', async () => {
    const root = writeFiles(tempDir('watch-build-src'), smallRepo());
    const outParent = tempDir('watch-build-out');
    dirs.push(root, outParent);
    const out = path.join(outParent, 'universe');
    await writeBuild(await buildUniverse(root), out);
    const server = await startServer({ input: out, port: 0, watch: true, debounce: 20 });
    servers.push(server);
    const port = server.address.port;
    assert.deepEqual(await revisions(port), ['alpha/0', 'alpha/1', 'beta/0']);

    writeFiles(root, { 'G/gamma/0/package.json': packageJson('gamma'), 'G/gamma/0/marathon.json.mustache': TEMPLATE });
    let next = reloaded(server, true);
    await writeBuild(await buildUniverse(root), out);
    await next;
    // Several events may come from one replacement: wait until the new build is the one served.
    while (!(await revisions(port)).includes('gamma/0')) await reloaded(server, true);
    assert.deepEqual(await revisions(port), ['alpha/0', 'alpha/1', 'beta/0', 'gamma/0']);

    // And again: the replaced directory is watched too.
    fs.rmSync(path.join(root, 'G'), { recursive: true });
    next = reloaded(server, true);
    await writeBuild(await buildUniverse(root), out);
    await next;
    while ((await revisions(port)).includes('gamma/0')) await reloaded(server, true);
    assert.deepEqual(await revisions(port), ['alpha/0', 'alpha/1', 'beta/0']);
  });
});

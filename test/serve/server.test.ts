import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { BUILD_DCOS_VERSIONS, buildUniverse, repoContentType, writeBuild, type BuildOutput } from '../../generator/build/index.js';
import { startServer, type RunningServer } from '../../generator/serve/index.js';
import { smallRepo, tempDir, writeFiles } from '../build/support.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../support/fixtures.js';
import { COSMOS_ACCEPT, MEDIA, request } from './support.js';

const USER_AGENTS: [string | undefined, string][] = [
  ['cosmos/0.4.0 dcos/1.8.9', '1.8'],
  ['cosmos/0.5.0 dcos/1.9.4', '1.9'],
  ['cosmos/0.5.2 dcos/1.10.0', '1.10'],
  ['cosmos/0.6.0 dcos/1.11.3', '1.11'],
  ['dcos/1.12.1', '1.12'],
  ['dcos/1.13.0', '1.13'],
  ['dcos/2.0.2', '2.0'],
  ['curl/8.0.1', '2.0'],
  [undefined, '2.0'],
];

describe('serving the sample corpus', { skip: sharedAvailable() ? false : 'needs ../shared (the sample corpus)' }, () => {
  let build: BuildOutput;
  let fromPackages: RunningServer;
  let fromDirectory: RunningServer;
  let dir: string;
  const file = (p: string): Buffer => Buffer.concat(build.files.get(p)?.parts ?? []);

  before(async () => {
    build = await buildUniverse(CORPUS_PACKAGES_DIR);
    dir = path.join(tempDir('serve-corpus'), 'out');
    await writeBuild(build, dir);
    fromPackages = await startServer({ input: CORPUS_PACKAGES_DIR, port: 0 });
    fromDirectory = await startServer({ input: dir, port: 0 });
  });
  after(async () => {
    await fromPackages?.close();
    await fromDirectory?.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('answers /repo for every Accept (v3, v4, v5) and User-Agent (1.8 ... 2.0, unknown)', async () => {
    for (const server of [fromPackages, fromDirectory]) {
      for (const [format, accept] of Object.entries(COSMOS_ACCEPT)) {
        for (const [ua, version] of USER_AGENTS) {
          const headers: Record<string, string> = { Accept: accept };
          if (ua !== undefined) headers['User-Agent'] = ua;
          const r = await request(server.address.port, '/repo', headers);
          const what = `${format} ${String(ua)}`;
          assert.equal(r.status, 200, what);
          assert.equal(r.headers['content-type'], MEDIA(format), what);
          assert.deepEqual(r.body, file(`repo-up-to-${version}.json`), what);
          assert.equal(r.headers['content-length'], String(r.body.length), what);
          assert.equal(r.headers.vary, 'Accept, User-Agent, Accept-Encoding', what);
          assert.match(String(r.headers.etag), new RegExp(`^"[\\w-]+-${format}"$`), what);
        }
      }
    }
  });

  it('answers /package/<name> the same way, 404 where the version has no such package', async () => {
    for (const [format, accept] of Object.entries(COSMOS_ACCEPT)) {
      for (const [ua, version] of USER_AGENTS) {
        for (const name of ['beta-kubernetes', 'chronos', 'marathon-lb']) {
          const headers: Record<string, string> = { Accept: accept };
          if (ua !== undefined) headers['User-Agent'] = ua;
          const r = await request(fromPackages.address.port, `/package/${name}`, headers);
          const expected = build.files.get(`${version}/package/${name}.json`);
          const what = `${format} ${String(ua)} ${name}`;
          if (expected === undefined) {
            assert.equal(r.status, 404, what);
            continue;
          }
          assert.equal(r.status, 200, what);
          assert.equal(r.headers['content-type'], MEDIA(format), what);
          assert.deepEqual(r.body, Buffer.concat(expected.parts), what);
        }
      }
    }
    // beta-kubernetes needs DC/OS 1.12.
    assert.equal((await request(fromPackages.address.port, '/package/beta-kubernetes', { Accept: COSMOS_ACCEPT.v4, 'User-Agent': 'dcos/1.11.0' })).status, 404);
    assert.equal((await request(fromPackages.address.port, '/package/no-such-package', { Accept: COSMOS_ACCEPT.v5 })).status, 404);
  });

  it('sends the gzip copy to clients that take gzip, as Cosmos does', async () => {
    const r = await request(fromPackages.address.port, '/repo', { Accept: COSMOS_ACCEPT.v4, 'Accept-Encoding': 'gzip', 'User-Agent': 'cosmos/0.5.2 dcos/1.10.0' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.ok(r.body.length < file('repo-up-to-1.10.json').length / 5);
    assert.deepEqual(zlib.gunzipSync(r.body), file('repo-up-to-1.10.json'));
    const plain = await request(fromPackages.address.port, '/repo', { Accept: COSMOS_ACCEPT.v4, 'User-Agent': 'cosmos/0.5.2 dcos/1.10.0' });
    assert.notEqual(plain.headers.etag, r.headers.etag);
  });

  it('serves the build files by name with their content types', async () => {
    const port = fromDirectory.address.port;
    const empty = await request(port, '/repo-empty-v3.json');
    assert.equal(empty.status, 200);
    assert.equal(empty.headers['content-type'], MEDIA('v3'));
    assert.equal(empty.body.toString(), '{"packages": []}');
    for (const v of BUILD_DCOS_VERSIONS) {
      const r = await request(port, `/repo-up-to-${v}.json`);
      assert.equal(r.headers['content-type'], file(`repo-up-to-${v}.content_type`).toString(), v);
      assert.deepEqual(r.body, file(`repo-up-to-${v}.json`), v);
    }
    const perPackage = await request(port, '/1.9/package/chronos.json');
    assert.equal(perPackage.headers['content-type'], repoContentType('v3'));
    const ct = await request(port, '/universe.content_type');
    assert.equal(ct.body.toString(), MEDIA('v5'));
    assert.equal(ct.headers['content-type'], 'text/plain; charset=utf-8');
    for (const p of ['/', '/1.10', '/1.10/package', '/1.10/package/', '/nothing.json']) assert.equal((await request(port, p)).status, 404, p);
  });
});

describe('the Universe server protocol', () => {
  let running: RunningServer;
  let root: string;
  let port: number;

  before(async () => {
    root = writeFiles(tempDir('serve-small'), smallRepo());
    running = await startServer({ input: root, port: 0 });
    port = running.address.port;
  });
  after(async () => {
    await running?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers If-None-Match with 304 and the same validators', async () => {
    const headers = { Accept: COSMOS_ACCEPT.v5, 'User-Agent': 'dcos/2.0.0' };
    const first = await request(port, '/repo', headers);
    const etag = String(first.headers.etag);
    const again = await request(port, '/repo', { ...headers, 'If-None-Match': `"other", ${etag}` });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    const otherFormat = await request(port, '/repo', { Accept: COSMOS_ACCEPT.v4, 'User-Agent': 'dcos/2.0.0', 'If-None-Match': etag });
    assert.equal(otherFormat.status, 200, 'another media type is another representation');
    assert.equal((await request(port, '/repo', { ...headers, 'If-None-Match': '*' })).status, 304);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await request(port, '/repo', { Accept: COSMOS_ACCEPT.v5 });
    const head = await request(port, '/repo', { Accept: COSMOS_ACCEPT.v5 }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    for (const h of ['content-type', 'content-length', 'etag', 'vary']) assert.equal(head.headers[h], get.headers[h], h);
  });

  it('answers 405 to other methods, 406 when Accept has no repo media type', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const r = await request(port, '/repo', {}, method);
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.allow, 'GET, HEAD');
    }
    const r = await request(port, '/repo', { Accept: 'application/json' });
    assert.equal(r.status, 406);
    assert.match(r.body.toString(), /version=v3/);
    const plain = await request(port, '/repo', { Accept: MEDIA('v2') });
    assert.equal(plain.status, 406);
  });

  it('gives the version\'s own media type when Accept names no version (curl, browsers)', async () => {
    for (const [ua, format] of [['dcos/1.9.0', 'v3'], ['dcos/1.11.0', 'v4'], ['dcos/1.12.0', 'v5']]) {
      const r = await request(port, '/repo', { 'User-Agent': ua as string, Accept: '*/*' });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], MEDIA(format as string), ua);
    }
  });

  it('serves what the build holds: the downgrade for 1.9, the full package for 2.0', async () => {
    const old = JSON.parse((await request(port, '/repo', { Accept: COSMOS_ACCEPT.v3, 'User-Agent': 'dcos/1.9.0' })).body.toString()) as { packages: { name: string; packagingVersion: string }[] };
    assert.deepEqual(old.packages.map((p) => [p.name, p.packagingVersion]), [['alpha', '3.0'], ['alpha', '3.0']]);
    const latest = JSON.parse((await request(port, '/repo', { Accept: COSMOS_ACCEPT.v5, 'User-Agent': 'dcos/2.0.0' })).body.toString()) as { packages: { name: string; packagingVersion: string }[] };
    assert.deepEqual(latest.packages.map((p) => [p.name, p.packagingVersion]), [['alpha', '3.0'], ['alpha', '4.0'], ['beta', '3.0']]);
  });
});

/**
 * The agent, simulated with real clients: the installer puts a helper and the tarball on a
 * fake host; the tarball is extracted into a sandbox as the Mesos fetcher does; the Debian
 * Docker CLI and skopeo, with that sandbox as HOME, ask the installed helper. Every process
 * that could reach a network runs in `unshare -n` (loopback only).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { after, describe, it } from 'node:test';
import { pack } from 'tar-stream';
import { HELPER_BINARY_NAME, HELPER_REAL_BINARY_NAME } from '../../generator/agent/constants.js';
import {
  fetchAndExtract,
  makeHost,
  REGISTRY_SCRIPT,
  requireTool,
  run,
  runInstaller,
  SYSTEM_PATH,
  TempDirs,
  type Host,
} from './support.js';

const ECR_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ECR_IMAGE = `${ECR_HOST}/team/app:1.0`;
const DOCKER = '/usr/bin/docker';
const UNSHARE = '/usr/bin/unshare';

const temp = new TempDirs();
after(() => temp.cleanup());

/** Installs with the installer, extracts the tarball into a fresh sandbox. */
async function installAndFetch(env: Record<string, string>): Promise<{ host: Host; sandbox: string }> {
  const host = makeHost(temp);
  const r = await runInstaller(host, env);
  assert.equal(r.code, 0, r.stderr);
  const sandbox = temp.make('sandbox');
  await fetchAndExtract(path.join(host.config, 'docker.tar.gz'), sandbox);
  return { host, sandbox };
}

/**
 * `docker pull` as Mesos runs it: the agent's PATH (the host bin directory first), HOME set to
 * the sandbox, in a network namespace with loopback only. No engine: the CLI asks the helper
 * for credentials, then fails to reach the daemon socket.
 */
async function dockerPull(host: Host, sandbox: string, image: string, log: string): Promise<string[]> {
  requireTool(DOCKER, 'docker.io');
  const r = await run(UNSHARE, ['-n', '--', DOCKER, 'pull', image], {
    env: {
      PATH: `${host.bin}:${SYSTEM_PATH}`,
      HOME: sandbox,
      DOCKER_HOST: `unix://${path.join(sandbox, 'no-daemon.sock')}`,
      ECR_TEST_HELPER_LOG: log,
      ECR_TEST_HELPER_USER: 'AWS',
      ECR_TEST_HELPER_SECRET: 'token',
    },
  });
  assert.notEqual(r.code, 0, 'there is no Docker daemon, so the pull itself must fail');
  assert.match(r.stderr, /Cannot connect to the Docker daemon/);
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
}

describe('Docker CLI (Debian docker.io client) with the installed helper and the fetched tarball', () => {
  it('credsStore: docker pull of an ECR image calls the installed helper as `get <registry host>`', async () => {
    const { host, sandbox } = await installAndFetch({ CREDENTIAL_MODE: 'credsStore' });
    const calls = await dockerPull(host, sandbox, ECR_IMAGE, path.join(sandbox, 'helper.log'));
    assert.deepEqual(calls, [`get ${ECR_HOST} cache=`]);
  });

  it('credHelpers: the listed ECR registry goes to the helper, a Docker Hub image does not', async () => {
    const { host, sandbox } = await installAndFetch({ CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: `${ECR_HOST},public.ecr.aws` });
    const log = path.join(sandbox, 'helper.log');
    assert.deepEqual(await dockerPull(host, sandbox, ECR_IMAGE, log), [`get ${ECR_HOST} cache=`]);
    fs.rmSync(log, { force: true });
    assert.deepEqual(await dockerPull(host, sandbox, 'busybox:1.36.1', log), []);
    assert.deepEqual(await dockerPull(host, sandbox, '210987654321.dkr.ecr.eu-west-1.amazonaws.com/other:1', log), []);
  });

  it('HELPER_CACHE=off: Docker runs the wrapper, which runs the binary with AWS_ECR_DISABLE_CACHE=1', async () => {
    const { host, sandbox } = await installAndFetch({ HELPER_CACHE: 'off' });
    assert.ok(fs.existsSync(path.join(host.bin, HELPER_REAL_BINARY_NAME)));
    const calls = await dockerPull(host, sandbox, ECR_IMAGE, path.join(sandbox, 'helper.log'));
    assert.deepEqual(calls, [`get ${ECR_HOST} cache=1`]);
  });
});

/** A one-layer OCI image layout, made here (nothing is downloaded). */
async function makeOciLayout(dir: string): Promise<void> {
  const layerTar = await new Promise<Buffer>((resolve, reject) => {
    const p = pack();
    const chunks: Buffer[] = [];
    p.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
    p.on('error', reject);
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.entry({ name: 'hello.txt', mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 }, 'pulled from a private registry\n');
    p.finalize();
  });
  const layer = zlib.gzipSync(layerTar);
  const digest = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [digest(layerTar)] } }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest(layer), size: layer.length }],
    }),
  );
  const blobs = path.join(dir, 'blobs/sha256');
  fs.mkdirSync(blobs, { recursive: true });
  for (const b of [layer, config, manifest]) fs.writeFileSync(path.join(blobs, digest(b).slice('sha256:'.length)), b);
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': '1' } },
      ],
    }),
  );
}

describe('the whole path: authenticating registry, skopeo, installed helper', () => {
  it('skopeo pulls through credHelpers and the installed helper; fails without the tarball or without the helper', { timeout: 180_000 }, async () => {
    for (const [file, pkg] of [
      ['/usr/bin/skopeo', 'skopeo'],
      ['/usr/bin/docker-registry', 'docker-registry'],
      ['/usr/bin/htpasswd', 'apache2-utils'],
      ['/usr/bin/busybox', 'busybox'],
    ] as const) {
      requireTool(file, pkg);
    }
    const user = 'agent-role';
    const password = 'temporary-token-123';
    const { host, sandbox } = await installAndFetch({ CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: ECR_HOST });
    const config = JSON.parse(fs.readFileSync(path.join(sandbox, '.docker/config.json'), 'utf8')) as unknown;
    assert.deepEqual(config, { credHelpers: { [ECR_HOST]: 'ecr-login' }, auths: {} });
    const work = temp.make('registry');
    const layout = path.join(work, 'layout');
    await makeOciLayout(layout);
    const bare = temp.make('bare-sandbox');
    // A PATH with skopeo and no credential helper at all (Debian's real helper is in /usr/bin).
    const toolsOnly = temp.make('tools');
    fs.symlinkSync('/usr/bin/skopeo', path.join(toolsOnly, 'skopeo'));
    const log = path.join(work, 'helper.log');
    const r = await run(
      UNSHARE,
      ['-n', '-m', '--', '/bin/sh', REGISTRY_SCRIPT, work, ECR_HOST, user, password, layout, `${host.bin}:${toolsOnly}`, sandbox, bare, toolsOnly],
      {
        env: { PATH: SYSTEM_PATH, ECR_TEST_HELPER_LOG: log, ECR_TEST_HELPER_USER: user, ECR_TEST_HELPER_SECRET: password },
        timeoutMs: 150_000,
      },
    );
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const results = new Map(
      r.stdout
        .split('\n')
        .filter((l) => l.startsWith('result '))
        .map((l) => {
          const [, name, status, ...rest] = l.split(' ');
          return [name ?? '', { status, detail: rest.join(' ') }] as const;
        }),
    );
    assert.equal(results.get('with-helper')?.status, 'ok', results.get('with-helper')?.detail);
    const pulled = JSON.parse(fs.readFileSync(path.join(work, 'pulled-with-helper/index.json'), 'utf8')) as { manifests: unknown[] };
    assert.equal(pulled.manifests.length, 1);
    assert.equal(results.get('no-tarball')?.status, 'failed');
    assert.match(results.get('no-tarball')?.detail ?? '', /unauthorized|authentication required/i);
    assert.equal(results.get('no-helper')?.status, 'failed');
    // The config names a helper that is not on the PATH: no credentials, no pull.
    assert.match(results.get('no-helper')?.detail ?? '', /docker-credential-ecr-login/);
    // The helper was asked for exactly this registry (by skopeo, for the one pull that had it).
    assert.deepEqual([...new Set(fs.readFileSync(log, 'utf8').trim().split('\n'))], [`get ${ECR_HOST} cache=`]);
  });
});

describe('the real docker-credential-ecr-login (Debian amazon-ecr-credential-helper)', () => {
  const realHelper = '/usr/bin/docker-credential-ecr-login';

  for (const cache of ['on', 'off'] as const) {
    it(`is installed by the installer (HELPER_CACHE=${cache}) and runs as \`version\` from the host bin directory`, async () => {
      requireTool(realHelper, 'amazon-ecr-credential-helper');
      const host = makeHost(temp);
      const r = await runInstaller(host, { HELPER_SOURCE: realHelper, HELPER_CACHE: cache });
      assert.equal(r.code, 0, r.stderr);
      const installed = path.join(host.bin, cache === 'on' ? HELPER_BINARY_NAME : HELPER_REAL_BINARY_NAME);
      assert.deepEqual(fs.readFileSync(installed), fs.readFileSync(realHelper));
      assert.equal(fs.statSync(installed).mode & 0o777, 0o755);
      const expected = await run(realHelper, ['version'], { env: { PATH: SYSTEM_PATH, HOME: host.tmp } });
      assert.equal(expected.code, 0);
      // Through PATH, as Docker finds it; `version` makes no AWS call, and there is no network anyway.
      const v = await run(UNSHARE, ['-n', '--', HELPER_BINARY_NAME, 'version'], { env: { PATH: `${host.bin}:${SYSTEM_PATH}`, HOME: host.tmp } });
      assert.equal(v.code, 0, v.stderr);
      assert.equal(v.stdout, expected.stdout);
      assert.notEqual(v.stdout.trim(), '');
      const check = await runInstaller(host, { HELPER_SOURCE: realHelper, HELPER_CACHE: cache }, ['--check']);
      assert.equal(check.code, 0, check.stdout + check.stderr);
    });
  }
});

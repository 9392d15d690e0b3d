/**
 * `ecr-universe tarball` and the TypeScript writer: same input, same bytes whatever the run,
 * time zone or umask; exactly `.docker/` and `.docker/config.json`; bad input refused with
 * nothing written.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { after, describe, it } from 'node:test';
import { extract } from 'tar-stream';
import { dockerConfigJson, dockerConfigTar, dockerConfigTarball, parseRegistryList } from '../../generator/agent/dockerConfig.js';
import { runCli, STACK_TRACE } from '../support/cli.js';
import { CLI_MAIN, PROJECT_ROOT, run, runInstaller, makeHost, snapshot, SYSTEM_PATH, TempDirs } from './support.js';

const ECR_A = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ECR_B = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

const temp = new TempDirs();
after(() => temp.cleanup());

/** The built CLI under a given umask and time zone. */
function cliWith(umask: string, tz: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `umask ${umask}; exec "$0" "$@"`, process.execPath, CLI_MAIN, ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: SYSTEM_PATH, TZ: tz },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

interface Member {
  name: string;
  type: string | null | undefined;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
  mtime: number | undefined;
  body: string;
}

function members(tar: Buffer): Promise<Member[]> {
  return new Promise((resolve, reject) => {
    const out: Member[] = [];
    const x = extract();
    x.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
      stream.on('end', () => {
        out.push({ name: h.name, type: h.type, mode: h.mode, uid: h.uid, gid: h.gid, mtime: h.mtime?.getTime(), body: Buffer.concat(chunks).toString('utf8') });
        next();
      });
    });
    x.on('finish', () => resolve(out));
    x.on('error', reject);
    x.end(tar);
  });
}

describe('docker config and tarball (TypeScript writer)', () => {
  it('config.json: credsStore with "auths": {}, credHelpers mapping each registry (sorted, once) to ecr-login', () => {
    assert.equal(dockerConfigJson({ mode: 'credsStore' }), '{\n  "credsStore": "ecr-login",\n  "auths": {}\n}\n');
    assert.equal(dockerConfigJson({ mode: 'credHelpers', registries: [] }), '{\n  "credHelpers": {},\n  "auths": {}\n}\n');
    assert.deepEqual(JSON.parse(dockerConfigJson({ mode: 'credHelpers', registries: [ECR_B, ECR_A, ECR_B, 'public.ecr.aws'] })), {
      credHelpers: { [ECR_A]: 'ecr-login', [ECR_B]: 'ecr-login', 'public.ecr.aws': 'ecr-login' },
      auths: {},
    });
    assert.throws(() => dockerConfigJson({ mode: 'credHelpers', registries: ['docker.io'] }), /'docker\.io' is not an Amazon ECR registry host/);
    assert.throws(() => dockerConfigJson({ mode: 'credsStore', registries: [ECR_A] }), /only used with mode credHelpers/);
    assert.deepEqual(parseRegistryList(` ${ECR_A} ,\tpublic.ecr.aws`), [ECR_A, 'public.ecr.aws']);
    assert.deepEqual(parseRegistryList(' '), []);
  });

  it('the tar has exactly .docker/ (0755) and .docker/config.json (0644), owner 0/0, mtime 0', async () => {
    const spec = { mode: 'credHelpers', registries: [ECR_A] } as const;
    const list = await members(await dockerConfigTar(spec));
    assert.deepEqual(list, [
      { name: '.docker/', type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: 0, body: '' },
      { name: '.docker/config.json', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, body: dockerConfigJson(spec) },
    ]);
    const gz = await dockerConfigTarball(spec);
    assert.deepEqual([...gz.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    assert.deepEqual(zlib.gunzipSync(gz), await dockerConfigTar(spec));
  });

  it('same bytes on every call', async () => {
    const a = await dockerConfigTarball({ mode: 'credsStore' });
    const b = await dockerConfigTarball({ mode: 'credsStore' });
    assert.deepEqual(a, b);
  });
});

describe('ecr-universe tarball', () => {
  it('is byte-identical across runs, time zones and umasks, always mode 0644', async () => {
    const dir = temp.make('tarball');
    const args = ['--mode', 'credHelpers', '--registry', ECR_B, '--registry', ECR_A];
    const files: Buffer[] = [];
    for (const [umask, tz] of [
      ['022', 'UTC'],
      ['077', 'Pacific/Kiritimati'],
      ['000', 'America/St_Johns'],
      ['027', 'Europe/Berlin'],
    ] as const) {
      const out = path.join(dir, `docker-${umask}.tar.gz`);
      const r = await cliWith(umask, tz, ['tarball', '--out', out, ...args]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(fs.statSync(out).mode & 0o777, 0o644);
      files.push(fs.readFileSync(out));
    }
    for (const f of files.slice(1)) assert.deepEqual(f, files[0]);
    assert.deepEqual(files[0], await dockerConfigTarball({ mode: 'credHelpers', registries: [ECR_A, ECR_B] }));
    assert.deepEqual(fs.readdirSync(dir).sort(), files.map((_, i) => `docker-${['022', '077', '000', '027'][i]}.tar.gz`).sort(), 'no temporary file left');
  });

  it('tar -tzvf lists exactly .docker/ and .docker/config.json', async () => {
    const out = path.join(temp.make('tarball'), 'docker.tar.gz');
    assert.equal((await runCli(['tarball', '--out', out])).code, 0);
    const r = await run('tar', ['-tzvf', out], { env: { PATH: SYSTEM_PATH, TZ: 'UTC' } });
    assert.equal(r.code, 0, r.stderr);
    const size = Buffer.byteLength(dockerConfigJson({ mode: 'credsStore' }));
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(/\s+/)), [
      ['drwxr-xr-x', '0/0', '0', '1970-01-01', '00:00', '.docker/'],
      ['-rw-r--r--', '0/0', String(size), '1970-01-01', '00:00', '.docker/config.json'],
    ]);
    const names = await run('tar', ['-tzf', out]);
    assert.equal(names.stdout, '.docker/\n.docker/config.json\n');
  });

  for (const [label, cliArgs, env] of [
    ['credsStore', [], { CREDENTIAL_MODE: 'credsStore' }],
    ['credHelpers', ['--mode', 'credHelpers', '--registry', ECR_A, '--registry', 'public.ecr.aws'], { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: `public.ecr.aws,${ECR_A}` }],
    ['credHelpers without registries', ['--mode', 'credHelpers'], { CREDENTIAL_MODE: 'credHelpers' }],
  ] as const) {
    it(`has the installer's members and config.json bytes (and even its uncompressed tar): ${label}`, async () => {
      const out = path.join(temp.make('tarball'), 'docker.tar.gz');
      const r = await runCli(['tarball', '--out', out, ...cliArgs]);
      assert.equal(r.code, 0, r.stderr);
      const host = makeHost(temp);
      assert.equal((await runInstaller(host, env)).code, 0);
      const fromInstaller = zlib.gunzipSync(fs.readFileSync(path.join(host.config, 'docker.tar.gz')));
      const fromCli = zlib.gunzipSync(fs.readFileSync(out));
      assert.deepEqual(await members(fromCli), await members(fromInstaller));
      assert.deepEqual(fromCli, fromInstaller);
    });
  }

  const refused: [string, string[], number, RegExp][] = [
    ['a registry that is not ECR', ['--mode', 'credHelpers', '--registry', 'ghcr.io'], 2, /'ghcr\.io' is not an Amazon ECR registry host/],
    ['a registry with credsStore', ['--registry', ECR_A], 2, /--registry is only used with --mode credHelpers/],
    ['an unknown mode', ['--mode', 'auths'], 2, /argument 'auths' is invalid/],
    ['a missing directory', [], 1, /error\[output\]: directory .* does not exist/],
  ];
  for (const [label, cliArgs, code, message] of refused) {
    it(`refuses ${label}: exit ${code}, one clear line, nothing written`, async () => {
      const dir = temp.make('tarball');
      fs.writeFileSync(path.join(dir, 'docker.tar.gz'), 'previous');
      const before = snapshot(dir);
      const out = label === 'a missing directory' ? path.join(dir, 'missing', 'docker.tar.gz') : path.join(dir, 'docker.tar.gz');
      const r = await runCli(['tarball', '--out', out, ...cliArgs]);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr.split('\n')[0] ?? '', message);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
      assert.equal(r.stdout, '');
      assert.deepEqual(snapshot(dir), before);
    });
  }
});

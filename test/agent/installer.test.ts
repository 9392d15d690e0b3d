/**
 * The installer (package-template/image/install.sh) against temporary directories standing for
 * the host: shellcheck, defaults, what it writes, idempotence, concurrency, the health check,
 * the cache-off wrapper, refusal of bad input, the long-running loop, and a run with busybox
 * applets only (the runtime image is busybox).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ECR_REGISTRY_HOST_REGEX,
  ECR_REGISTRY_LIST_PATTERN,
  HELPER_BINARY_NAME,
  HELPER_REAL_BINARY_NAME,
  INSTALLER_DEFAULTS,
  INSTALLER_ENV,
  TARBALL_NAME_PATTERN,
} from '../../generator/agent/constants.js';
import { AgentInputError, dockerConfigJson, dockerConfigTar, parseRegistryList } from '../../generator/agent/dockerConfig.js';
import {
  INSTALLER,
  InstallerProcess,
  installerEnv,
  makeHost,
  requireTool,
  run,
  runInstaller,
  snapshot,
  SYSTEM_PATH,
  TempDirs,
  TEST_HELPER,
  type Host,
} from './support.js';

const ECR_A = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ECR_B = '210987654321.dkr.ecr-fips.us-gov-west-1.amazonaws.com';

const temp = new TempDirs();
after(() => temp.cleanup());

const tarballOf = (host: Host, name = 'docker.tar.gz'): string => path.join(host.config, name);
const mode = (file: string): number => fs.statSync(file).mode & 0o7777;

describe('installer script', () => {
  it('passes shellcheck (POSIX sh), and so does the wrapper it installs', async () => {
    requireTool('/usr/bin/shellcheck', 'shellcheck');
    const r = await run('/usr/bin/shellcheck', ['--shell=sh', '--severity=style', INSTALLER, TEST_HELPER]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host = makeHost(temp);
    assert.equal((await runInstaller(host, { HELPER_CACHE: 'off' })).code, 0);
    const w = await run('/usr/bin/shellcheck', ['--shell=sh', '--severity=style', path.join(host.bin, HELPER_BINARY_NAME)]);
    assert.equal(w.code, 0, w.stdout + w.stderr);
  });

  it('has the defaults exported by generator/agent/constants.ts', () => {
    const text = fs.readFileSync(INSTALLER, 'utf8');
    const defaults = new Map([...text.matchAll(/^([A-Z_]+)=\$\{\1:-(.*)\}$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    assert.deepEqual(Object.fromEntries(defaults), INSTALLER_DEFAULTS);
    assert.deepEqual([...defaults.keys()].sort(), Object.values(INSTALLER_ENV).sort());
  });

  it('installs the helper (0755) and the tarball (0644) holding exactly .docker/ and .docker/config.json', async () => {
    const host = makeHost(temp);
    const r = await runInstaller(host, { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: ` ${ECR_B} ,${ECR_A},${ECR_B}` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const helper = path.join(host.bin, HELPER_BINARY_NAME);
    assert.deepEqual(fs.readFileSync(helper), fs.readFileSync(TEST_HELPER));
    assert.equal(mode(helper), 0o755);
    assert.equal(mode(tarballOf(host)), 0o644);
    assert.deepEqual(fs.readdirSync(host.bin), [HELPER_BINARY_NAME]);
    assert.deepEqual(fs.readdirSync(host.config), ['docker.tar.gz']);
    assert.deepEqual(fs.readdirSync(host.tmp), [], 'the work directory is removed');
    const listing = await run('tar', ['-tzvf', tarballOf(host)], { env: { PATH: SYSTEM_PATH, TZ: 'UTC' } });
    const config = dockerConfigJson({ mode: 'credHelpers', registries: [ECR_A, ECR_B] });
    assert.deepEqual(listing.stdout.trim().split('\n').map((l) => l.split(/\s+/)), [
      ['drwxr-xr-x', '0/0', '0', '1970-01-01', '00:00', '.docker/'],
      ['-rw-r--r--', '0/0', String(Buffer.byteLength(config)), '1970-01-01', '00:00', '.docker/config.json'],
    ]);
    const extracted = await run('tar', ['-xzOf', tarballOf(host), '.docker/config.json']);
    assert.equal(extracted.stdout, config);
    assert.deepEqual(JSON.parse(extracted.stdout), { credHelpers: { [ECR_A]: 'ecr-login', [ECR_B]: 'ecr-login' }, auths: {} });
  });

  for (const [label, env, spec] of [
    ['credsStore', { CREDENTIAL_MODE: 'credsStore' }, { mode: 'credsStore' }],
    ['credHelpers, no registry', { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: '' }, { mode: 'credHelpers', registries: [] }],
    ['credHelpers, three registries', { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: `public.ecr.aws,${ECR_B},${ECR_A}` }, { mode: 'credHelpers', registries: [ECR_A, ECR_B, 'public.ecr.aws'] }],
  ] as const) {
    it(`writes the same tar (uncompressed, byte for byte) as the TypeScript writer: ${label}`, async () => {
      const host = makeHost(temp);
      assert.equal((await runInstaller(host, env)).code, 0);
      const tar = zlib.gunzipSync(fs.readFileSync(tarballOf(host)));
      assert.deepEqual(tar, await dockerConfigTar(spec));
      assert.deepEqual([...fs.readFileSync(tarballOf(host)).subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3], 'fixed gzip header');
    });
  }

  it('writes a tarball that is byte-identical across runs, umasks and time zones', async () => {
    const outputs: Buffer[] = [];
    for (const [umask, tz] of [
      ['022', 'UTC'],
      ['077', 'America/New_York'],
      ['000', 'Asia/Kolkata'],
    ] as const) {
      const host = makeHost(temp);
      const env = { ...installerEnv(host, { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: ECR_A }), TZ: tz };
      const r = await run('/bin/sh', ['-c', `umask ${umask}; exec /bin/sh "$0"`, INSTALLER], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(mode(tarballOf(host)), 0o644);
      assert.equal(mode(path.join(host.bin, HELPER_BINARY_NAME)), 0o755);
      outputs.push(fs.readFileSync(tarballOf(host)));
    }
    assert.deepEqual(outputs[1], outputs[0]);
    assert.deepEqual(outputs[2], outputs[0]);
  });

  it('is idempotent: a second pass rewrites nothing (same inodes) and says nothing', async () => {
    const host = makeHost(temp);
    assert.equal((await runInstaller(host)).code, 0);
    const before = snapshot(host.root);
    const r = await runInstaller(host);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /installed|wrote/);
    assert.deepEqual(snapshot(host.root), before);
  });

  it('repairs what changed: a replaced or deleted helper, a damaged tarball', async () => {
    const host = makeHost(temp);
    assert.equal((await runInstaller(host)).code, 0);
    fs.writeFileSync(path.join(host.bin, HELPER_BINARY_NAME), '#!/bin/sh\necho old helper\n');
    fs.writeFileSync(tarballOf(host), 'garbage');
    let r = await runInstaller(host);
    assert.match(r.stdout, /installed .*docker-credential-ecr-login/);
    assert.match(r.stdout, /wrote .*docker.tar.gz/);
    assert.equal((await runInstaller(host, {}, ['--check'])).code, 0);
    fs.rmSync(path.join(host.bin, HELPER_BINARY_NAME));
    r = await runInstaller(host);
    assert.match(r.stdout, /installed /);
    assert.equal((await runInstaller(host, {}, ['--check'])).code, 0);
  });

  it('two installers at once, many times, leave a complete helper and tarball and no temporary file', async () => {
    const host = makeHost(temp);
    const env = { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: ECR_A, HELPER_CACHE: 'off' };
    for (let round = 0; round < 5; round++) {
      fs.rmSync(host.bin, { recursive: true });
      fs.mkdirSync(host.bin);
      fs.rmSync(tarballOf(host), { force: true });
      const results = await Promise.all([runInstaller(host, env), runInstaller(host, env), runInstaller(host, env)]);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(fs.readdirSync(host.bin).sort(), [HELPER_BINARY_NAME, HELPER_REAL_BINARY_NAME]);
      assert.deepEqual(fs.readdirSync(host.config), ['docker.tar.gz']);
      assert.deepEqual(fs.readFileSync(path.join(host.bin, HELPER_REAL_BINARY_NAME)), fs.readFileSync(TEST_HELPER));
      assert.deepEqual(zlib.gunzipSync(fs.readFileSync(tarballOf(host))), await dockerConfigTar({ mode: 'credHelpers', registries: [ECR_A] }));
      const check = await runInstaller(host, env, ['--check']);
      assert.equal(check.code, 0, check.stdout);
    }
  });
});

describe('installer health check (install.sh --check)', () => {
  it('passes after an install and fails, naming the file, when the helper or the tarball is missing or differs', async () => {
    const host = makeHost(temp);
    const env = { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: ECR_A };
    assert.equal((await runInstaller(host, env, ['--check'])).code, 1, 'nothing installed yet');
    assert.equal((await runInstaller(host, env)).code, 0);
    const before = snapshot(host.root);
    const ok = await runInstaller(host, env, ['--check']);
    assert.equal(ok.code, 0, ok.stdout);
    assert.deepEqual(snapshot(host.root), before, 'the check writes nothing on the host');
    // Other settings than the installed ones: the tarball differs.
    const other = await runInstaller(host, { CREDENTIAL_MODE: 'credsStore' }, ['--check']);
    assert.equal(other.code, 1);
    assert.match(other.stdout, /docker\.tar\.gz is missing or differs/);
    fs.chmodSync(path.join(host.bin, HELPER_BINARY_NAME), 0o644);
    const notExecutable = await runInstaller(host, env, ['--check']);
    assert.equal(notExecutable.code, 1);
    assert.match(notExecutable.stdout, /docker-credential-ecr-login is missing or differs/);
    fs.rmSync(path.join(host.bin, HELPER_BINARY_NAME));
    assert.equal((await runInstaller(host, env, ['--check'])).code, 1);
    assert.equal((await runInstaller(host, env)).code, 0);
    fs.rmSync(tarballOf(host));
    const noTarball = await runInstaller(host, env, ['--check']);
    assert.equal(noTarball.code, 1);
    assert.match(noTarball.stdout, /docker\.tar\.gz is missing/);
  });

  it('with HELPER_CACHE=off covers both the wrapper and the real binary', async () => {
    const host = makeHost(temp);
    const env = { HELPER_CACHE: 'off' };
    assert.equal((await runInstaller(host, env)).code, 0);
    assert.equal((await runInstaller(host, env, ['--check'])).code, 0);
    const real = path.join(host.bin, HELPER_REAL_BINARY_NAME);
    fs.writeFileSync(real, '#!/bin/sh\n');
    let r = await runInstaller(host, env, ['--check']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /docker-credential-ecr-login\.real is missing or differs/);
    assert.equal((await runInstaller(host, env)).code, 0);
    // The binary where the wrapper belongs (e.g. left from HELPER_CACHE=on).
    fs.copyFileSync(TEST_HELPER, path.join(host.bin, HELPER_BINARY_NAME));
    r = await runInstaller(host, env, ['--check']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /docker-credential-ecr-login is missing or is not the cache-off wrapper/);
    // And the cache-on check refuses the wrapper in place of the binary.
    assert.equal((await runInstaller(host, env)).code, 0);
    r = await runInstaller(host, { HELPER_CACHE: 'on' }, ['--check']);
    assert.equal(r.code, 1);
  });
});

describe('HELPER_CACHE switches', () => {
  /** The helper as Docker finds it on the host's PATH. */
  async function helperRuns(host: Host): Promise<string> {
    const log = path.join(host.tmp, 'calls.log');
    fs.rmSync(log, { force: true });
    const r = await run(HELPER_BINARY_NAME, ['get'], {
      env: { PATH: `${host.bin}:${SYSTEM_PATH}`, ECR_TEST_HELPER_LOG: log, ECR_TEST_HELPER_USER: 'AWS', ECR_TEST_HELPER_SECRET: 's' },
      input: `${ECR_A}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ServerURL: ECR_A, Username: 'AWS', Secret: 's' });
    return fs.readFileSync(log, 'utf8').trim();
  }

  it('on -> off -> on: the helper works after each pass; off runs the real binary with AWS_ECR_DISABLE_CACHE=1', async () => {
    const host = makeHost(temp);
    assert.equal((await runInstaller(host, { HELPER_CACHE: 'on' })).code, 0);
    assert.equal(await helperRuns(host), `get ${ECR_A} cache=`);
    assert.equal((await runInstaller(host, { HELPER_CACHE: 'off' })).code, 0);
    assert.equal(await helperRuns(host), `get ${ECR_A} cache=1`);
    assert.deepEqual(fs.readdirSync(host.bin).sort(), [HELPER_BINARY_NAME, HELPER_REAL_BINARY_NAME]);
    assert.match(fs.readFileSync(path.join(host.bin, HELPER_BINARY_NAME), 'utf8'), /^#!\/bin\/sh\n/);
    const r = await runInstaller(host, { HELPER_CACHE: 'on' });
    assert.match(r.stdout, /removed .*docker-credential-ecr-login\.real/);
    assert.equal(await helperRuns(host), `get ${ECR_A} cache=`);
    assert.deepEqual(fs.readdirSync(host.bin), [HELPER_BINARY_NAME]);
  });
});

describe('installer refuses bad input, leaving the host untouched', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['relative INSTALL_BIN_DIR', { INSTALL_BIN_DIR: 'opt/mesosphere/bin' }, /INSTALL_BIN_DIR must be an absolute path, got 'opt\/mesosphere\/bin'/],
    ['relative INSTALL_CONFIG_DIR', { INSTALL_CONFIG_DIR: './etc' }, /INSTALL_CONFIG_DIR must be an absolute path/],
    ['missing INSTALL_CONFIG_DIR', { INSTALL_CONFIG_DIR: '/nonexistent/ecr-agent-test' }, /INSTALL_CONFIG_DIR=\/nonexistent\/ecr-agent-test is not a directory/],
    ['relative HELPER_SOURCE', { HELPER_SOURCE: 'docker-credential-ecr-login' }, /HELPER_SOURCE must be an absolute path/],
    ['missing HELPER_SOURCE', { HELPER_SOURCE: '/nonexistent/helper' }, /HELPER_SOURCE=\/nonexistent\/helper is not an executable file/],
    ['non-ECR registry', { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: `${ECR_A},registry.example.com` }, /'registry\.example\.com' is not an Amazon ECR registry host/],
    ['registry with a port', { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: `${ECR_A}:443` }, /is not an Amazon ECR registry host/],
    ['11-digit account', { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: '12345678901.dkr.ecr.us-east-1.amazonaws.com' }, /is not an Amazon ECR registry host/],
    ['empty registry entry', { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: `${ECR_A},,public.ecr.aws` }, /ECR_REGISTRIES has an empty entry/],
    ['registry list with a newline', { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: `${ECR_A}\npublic.ecr.aws` }, /must not contain a newline/],
    ['unknown CREDENTIAL_MODE', { CREDENTIAL_MODE: 'auths' }, /CREDENTIAL_MODE must be credsStore or credHelpers, got 'auths'/],
    ['TARBALL_NAME with a slash', { TARBALL_NAME: '../docker.tar.gz' }, /TARBALL_NAME must be a file name/],
    ['TARBALL_NAME starting with a dot', { TARBALL_NAME: '.docker.tar.gz' }, /TARBALL_NAME must be a file name/],
    ['TARBALL_NAME without .tar.gz', { TARBALL_NAME: 'docker.tar' }, /TARBALL_NAME must end in \.tar\.gz or \.tgz/],
    ['HELPER_CACHE yes', { HELPER_CACHE: 'yes' }, /HELPER_CACHE must be on or off, got 'yes'/],
    ['RECHECK_INTERVAL 0', { RECHECK_INTERVAL: '0' }, /RECHECK_INTERVAL must be a whole number of seconds from 1 to 86400/],
    ['RECHECK_INTERVAL 1m', { RECHECK_INTERVAL: '1m' }, /RECHECK_INTERVAL must be/],
    ['RECHECK_INTERVAL too large', { RECHECK_INTERVAL: '86401' }, /RECHECK_INTERVAL must be/],
    ['INSTALL_ONCE yes', { INSTALL_ONCE: 'yes' }, /INSTALL_ONCE must be 1, 0 or empty/],
    ['relative HOST_BIN_DIR', { HOST_BIN_DIR: 'opt/mesosphere/bin' }, /HOST_BIN_DIR must be an absolute path, got 'opt\/mesosphere\/bin'/],
    ['HOST_CONFIG_DIR with a newline', { HOST_CONFIG_DIR: '/etc\n/x' }, /HOST_CONFIG_DIR must not contain a newline/],
  ];

  for (const [label, env, message] of cases) {
    it(label, async () => {
      const host = makeHost(temp);
      // What an earlier install left: must survive the refused run byte for byte.
      assert.equal((await runInstaller(host, { HELPER_CACHE: 'off' })).code, 0);
      fs.writeFileSync(path.join(host.config, 'hosts'), '127.0.0.1 localhost\n');
      const before = snapshot(host.root);
      for (const args of [[], ['--check']]) {
        const r = await runInstaller(host, { HELPER_CACHE: 'off', ...env }, args);
        assert.equal(r.code, 1, `${label} ${args.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}`);
        assert.equal(r.stdout, '');
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0] ?? '', /^ecr-credential-helper: error: /);
        assert.match(lines[0] ?? '', message);
        assert.deepEqual(snapshot(host.root), before);
      }
    });
  }

  it('an unknown argument', async () => {
    const host = makeHost(temp);
    const r = await runInstaller(host, {}, ['--force']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown argument '--force'/);
    assert.deepEqual(fs.readdirSync(host.bin), []);
  });

  it('accepts ECR_REGISTRIES with credsStore but says they are not used', async () => {
    const host = makeHost(temp);
    const r = await runInstaller(host, { CREDENTIAL_MODE: 'credsStore', ECR_REGISTRIES: ECR_A });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ECR_REGISTRIES is not used with CREDENTIAL_MODE=credsStore/);
    assert.equal((await run('tar', ['-xzOf', tarballOf(host), '.docker/config.json'])).stdout, dockerConfigJson({ mode: 'credsStore' }));
  });
});

describe('installer stays up', () => {
  it('re-checks every RECHECK_INTERVAL seconds, puts back a removed helper, and exits 0 on SIGTERM', { timeout: 120_000 }, async () => {
    const host = makeHost(temp);
    const env = installerEnv(host, { INSTALL_ONCE: '', RECHECK_INTERVAL: '1' });
    const p = new InstallerProcess(env);
    try {
      await p.waitFor(/installed; re-checking every 1s\n/);
      assert.equal((await runInstaller(host, {}, ['--check'])).code, 0);
      // DC/OS rebuilt the bin directory: the helper is gone, the check sees it, the loop repairs it.
      const mark = p.stdout.length;
      fs.rmSync(path.join(host.bin, HELPER_BINARY_NAME));
      assert.equal((await runInstaller(host, {}, ['--check'])).code, 1);
      await p.waitFor(/installed .*docker-credential-ecr-login \(sha256 [0-9a-f]{64}\)\n/, mark);
      assert.equal((await runInstaller(host, {}, ['--check'])).code, 0);
    } finally {
      const exit = await p.stop('SIGTERM');
      assert.deepEqual(exit, { code: 0, signal: null });
    }
    assert.match(p.stdout, /stopped\n$/);
    assert.equal(p.stderr, '');
    assert.deepEqual(fs.readdirSync(host.tmp), [], 'the work directory is removed on SIGTERM');
  });
});

describe('installer with busybox applets only (the runtime image is busybox)', () => {
  it('installs, checks and writes the same tar as with GNU tools', async () => {
    const busybox = requireTool('/usr/bin/busybox', 'busybox');
    const applets = temp.make('busybox');
    const r0 = await run(busybox, ['--install', '-s', applets]);
    assert.equal(r0.code, 0, r0.stderr);
    const host = makeHost(temp);
    const env = { ...installerEnv(host, { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: `${ECR_A},public.ecr.aws`, HELPER_CACHE: 'off' }), PATH: applets };
    const r = await run(path.join(applets, 'sh'), [INSTALLER], { env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const check = await run(path.join(applets, 'sh'), [INSTALLER, '--check'], { env });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const again = await run(path.join(applets, 'sh'), [INSTALLER], { env });
    assert.doesNotMatch(again.stdout, /installed|wrote/);
    assert.deepEqual(zlib.gunzipSync(fs.readFileSync(tarballOf(host))), await dockerConfigTar({ mode: 'credHelpers', registries: [ECR_A, 'public.ecr.aws'] }));
    const helper = await run(HELPER_BINARY_NAME, ['version'], { env: { PATH: `${host.bin}:${applets}` } });
    assert.equal(helper.stdout, 'test-credential-helper 1\n');
  });
});

describe('the shell registry check equals ECR_REGISTRY_HOST_PATTERN', () => {
  const known = [
    ECR_A,
    ECR_B,
    '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
    '123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu',
    '123456789012.dkr-ecr.us-east-1.on.aws',
    '123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn',
    '123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov',
    '123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov',
    '123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk',
    '123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov',
    'public.ecr.aws',
    'ecr-public.aws.com',
    '123456789012.dkr.ecr.Us_East-1.amazonaws.com',
  ];
  const refused = [
    '',
    'docker.io',
    'registry.example.com',
    '127.0.0.1:5000',
    '1234567890123.dkr.ecr.us-east-1.amazonaws.com',
    '12345678901.dkr.ecr.us-east-1.amazonaws.com',
    'abcdefghijkl.dkr.ecr.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com.',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com:443',
    '123456789012.dkr.ecr.-us-east-1.amazonaws.com',
    '123456789012.dkr.ecr..amazonaws.com',
    '123456789012.dkr_ecr.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.us-east-1.amazonaws.org',
    '123456789012.dkr.ecr-fips-fips.us-east-1.amazonaws.com',
    'x123456789012.dkr.ecr.us-east-1.amazonaws.com',
    'public.ecr.aws.evil.com',
    'evil.public.ecr.aws',
    'PUBLIC.ECR.AWS',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/repo',
    '123456789012.dkr.ecr.us east-1.amazonaws.com',
    ' public.ecr.aws',
  ];

  /** Hosts near the pattern: ECR-shaped pieces, each mostly valid, sometimes broken. */
  const mostly = <T,>(valid: fc.Arbitrary<T>, broken: fc.Arbitrary<T>): fc.Arbitrary<T> =>
    fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: broken, weight: 1 });
  const hostArb = fc
    .tuple(
      mostly(fc.stringMatching(/^[0-9]{12}$/), fc.oneof(fc.stringMatching(/^[0-9]{10,13}$/), fc.stringMatching(/^[0-9a-z]{12}$/))),
      mostly(fc.constantFrom('.dkr.ecr', '.dkr-ecr', '.dkr.ecr-fips', '.dkr-ecr-fips'), fc.constantFrom('.dkr_ecr', '.dkr.ecrx', '', '.dkr.ecr-fips-fips')),
      mostly(fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,14}$/), fc.oneof(fc.stringMatching(/^[a-zA-Z0-9_-]{0,14}$/), fc.constantFrom('-x', '_a', 'us east'))),
      mostly(
        fc.constantFrom('amazonaws.com', 'amazonaws.com.cn', 'amazonaws.eu', 'on.aws', 'on.amazonwebservices.com.cn', 'sc2s.sgov.gov', 'c2s.ic.gov', 'cloud.adc-e.uk', 'csp.hci.ic.gov'),
        fc.constantFrom('amazonaws.co', 'aws', 'com', 'amazonaws.com.cn.x', 'ecr.aws'),
      ),
      mostly(fc.constant(''), fc.constantFrom(':443', '.', 'x', '/r', ' ')),
    )
    .map(([account, dkr, region, domain, tail]) => `${account}${dkr}.${region}.${domain}${tail}`);

  it('on known, refused and 400 generated hosts', async () => {
    const hosts = [...known, ...refused, ...fc.sample(hostArb, { numRuns: 400, seed: 20240601 })];
    const r = await run('/bin/sh', [INSTALLER, '--registry-check', ...hosts]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n').slice(0, -1);
    assert.equal(lines.length, hosts.length);
    const shell = lines.map((l) => l.slice(l.lastIndexOf('\t') + 1) === 'ok');
    hosts.forEach((h, i) => assert.equal(shell[i], ECR_REGISTRY_HOST_REGEX.test(h), `${JSON.stringify(h)}: shell ${shell[i] ? 'ok' : 'refused'}`));
    for (const h of known) assert.ok(ECR_REGISTRY_HOST_REGEX.test(h), h);
    for (const h of refused) assert.ok(!ECR_REGISTRY_HOST_REGEX.test(h), h);
    const accepted = shell.filter(Boolean).length;
    assert.ok(accepted > 50 && accepted < hosts.length - 50, `a useful mix of accepted (${accepted}) and refused hosts`);
  });

  it('ECR_REGISTRIES lists: the installer, parseRegistryList and ECR_REGISTRY_LIST_PATTERN agree', async () => {
    const listPattern = new RegExp(ECR_REGISTRY_LIST_PATTERN);
    const lists = ['', '  ', '\t', ECR_A, ` ${ECR_A} , public.ecr.aws `, `${ECR_A},`, `,${ECR_A}`, `${ECR_A},,${ECR_B}`, `${ECR_A} ${ECR_B}`, `${ECR_A};${ECR_B}`, 'docker.io', `${ECR_A},\t${ECR_B}`];
    for (const list of lists) {
      let ts: string[] | undefined;
      try {
        ts = parseRegistryList(list);
      } catch (e) {
        assert.ok(e instanceof AgentInputError);
      }
      assert.equal(listPattern.test(list), ts !== undefined, `pattern vs parseRegistryList on ${JSON.stringify(list)}`);
      const host = makeHost(temp);
      const r = await runInstaller(host, { CREDENTIAL_MODE: 'credHelpers', ECR_REGISTRIES: list });
      assert.equal(r.code === 0, ts !== undefined, `installer vs parseRegistryList on ${JSON.stringify(list)}: ${r.stderr}`);
      if (ts !== undefined) {
        assert.equal((await run('tar', ['-xzOf', tarballOf(host), '.docker/config.json'])).stdout, dockerConfigJson({ mode: 'credHelpers', registries: ts }));
      }
    }
  });

  it('TARBALL_NAME: the installer and TARBALL_NAME_PATTERN agree', async () => {
    const pattern = new RegExp(TARBALL_NAME_PATTERN);
    const host = makeHost(temp);
    for (const name of ['docker.tar.gz', 'ecr.tgz', 'a-b_c.1.tar.gz', '-x.tgz', '.docker.tar.gz', 'docker.tar', 'tar.gz', 'a/b.tgz', 'a b.tgz', 'x.TGZ', 'x.tar.gz.bak']) {
      const r = await runInstaller(host, { TARBALL_NAME: name });
      assert.equal(r.code === 0, pattern.test(name), `${name}: ${r.stderr}`);
      if (r.code === 0) assert.ok(fs.existsSync(path.join(host.config, name)));
    }
  });
});

/**
 * Stale bind mounts (install.sh with HOST_BIN_DIR / HOST_CONFIG_DIR), in real mount namespaces
 * (`unshare -m`): a temporary "host" directory is bind-mounted at a temporary "container" path,
 * then replaced as DC/OS (pkgpanda) replaces /opt/mesosphere/bin on an upgrade: a new directory
 * is renamed into the old one's place, and the old one is removed. The mount keeps showing the
 * old directory; `--check` and the install loop must notice.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { HELPER_BINARY_NAME, INSTALLER_ENV, INSTALLER_EXIT_STALE_MOUNT } from '../../generator/agent/constants.js';
import { INSTALLER, InstallerProcess, requireTool, run, SYSTEM_PATH, TempDirs, TEST_HELPER, type RunResult } from './support.js';

const UNSHARE = '/usr/bin/unshare';
const NSENTER = '/usr/bin/nsenter';
const STALE = INSTALLER_EXIT_STALE_MOUNT;

const temp = new TempDirs();
after(() => temp.cleanup());

/** The octal escapes of /proc/<pid>/mountinfo (space, tab, newline, backslash), decoded. */
const unescapeMountinfo = (field: string): string => field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/**
 * A private mount namespace held open by a process that waits on its stdin; programs enter it
 * with nsenter. Its mounts disappear with it (close()).
 */
class MountNamespace {
  private constructor(
    private readonly holder: ChildProcess,
    private readonly exited: Promise<void>,
    readonly pid: number,
  ) {}

  static async open(): Promise<MountNamespace> {
    requireTool(UNSHARE, 'util-linux');
    requireTool(NSENTER, 'util-linux');
    const holder = spawn(UNSHARE, ['-m', '--propagation', 'private', '--', '/bin/sh', '-c', 'echo ready; exec cat >/dev/null'], {
      env: { PATH: SYSTEM_PATH },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    holder.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<void>((resolve) => holder.on('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      holder.stdout?.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out === 'ready\n') resolve();
      });
      holder.on('error', reject);
      void exited.then(() => reject(new Error(`unshare -m ended before its namespace was ready: ${stderr}`)));
    });
    assert.ok(holder.pid !== undefined);
    const ns = new MountNamespace(holder, exited, holder.pid);
    assert.notEqual(fs.readlinkSync(`/proc/${ns.pid}/ns/mnt`), fs.readlinkSync('/proc/self/ns/mnt'), 'a mount namespace of its own');
    return ns;
  }

  /** A command prefix that execs its program in the namespace. */
  get enter(): string[] {
    return [NSENTER, '-t', String(this.pid), '-m', '--'];
  }

  run(file: string, args: readonly string[], env: NodeJS.ProcessEnv = { PATH: SYSTEM_PATH }): Promise<RunResult> {
    return run(NSENTER, ['-t', String(this.pid), '-m', '--', file, ...args], { env });
  }

  /** A shell script in the namespace (positional parameters $1...), which must succeed. */
  async sh(script: string, ...args: string[]): Promise<void> {
    const r = await this.run('/bin/sh', ['-euc', script, 'sh', ...args]);
    assert.equal(r.code, 0, `${script}: ${r.stdout}${r.stderr}`);
  }

  bind(source: string, target: string): Promise<void> {
    return this.sh('mount --bind "$1" "$2"', source, target);
  }

  /** The root of the (top) mount at `mountPoint`, read from the namespace's mount table. */
  mountRoot(mountPoint: string): string | undefined {
    let root: string | undefined;
    for (const line of fs.readFileSync(`/proc/${this.pid}/mountinfo`, 'utf8').split('\n')) {
      const fields = line.split(' ');
      if (fields[4] !== undefined && unescapeMountinfo(fields[4]) === mountPoint) root = unescapeMountinfo(fields[3] ?? '');
    }
    return root;
  }

  /** The raw (escaped) mount table line of the mount at `mountPoint`. */
  mountinfoLine(mountPoint: string): string | undefined {
    return fs
      .readFileSync(`/proc/${this.pid}/mountinfo`, 'utf8')
      .split('\n')
      .filter((l) => unescapeMountinfo(l.split(' ')[4] ?? '') === mountPoint)
      .pop();
  }

  /** What pkgpanda does to the directory on an upgrade: build DIR.new, DIR -> DIR.old, DIR.new -> DIR, remove DIR.old. */
  replaceLikePkgpanda(dir: string, removeOld: boolean): Promise<void> {
    return this.sh(`mkdir "$1.new"; mv "$1" "$1.old"; mv "$1.new" "$1"${removeOld ? '; rm -rf "$1.old"' : ''}`, dir);
  }

  async close(): Promise<void> {
    this.holder.stdin?.end();
    await this.exited;
  }
}

/** An agent: host directories, the container's mount points of them, a TMPDIR, in a namespace. */
interface Agent {
  ns: MountNamespace;
  hostBin: string;
  hostConfig: string;
  bin: string;
  config: string;
  tmp: string;
}

async function withAgent(
  options: { hostBin?: string; hostConfig?: string; bin?: string; prepare?: (ns: MountNamespace, root: string) => Promise<void> },
  body: (agent: Agent) => Promise<void>,
): Promise<void> {
  const root = temp.make('mounts');
  const a = {
    hostBin: path.join(root, options.hostBin ?? 'host/opt/mesosphere/bin'),
    hostConfig: path.join(root, options.hostConfig ?? 'host/etc'),
    bin: path.join(root, options.bin ?? 'container/host/bin'),
    config: path.join(root, 'container/host/config'),
    tmp: path.join(root, 'tmp'),
  };
  for (const dir of [a.bin, a.config, a.tmp]) fs.mkdirSync(dir, { recursive: true });
  const ns = await MountNamespace.open();
  try {
    await options.prepare?.(ns, root);
    await ns.sh('mkdir -p "$1" "$2"', a.hostBin, a.hostConfig);
    await ns.bind(a.hostBin, a.bin);
    await ns.bind(a.hostConfig, a.config);
    await body({ ns, ...a });
  } finally {
    await ns.close();
  }
}

/** The task's environment (as the Marathon app sets it), one pass unless told otherwise. */
function taskEnv(a: Agent, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: SYSTEM_PATH,
    TMPDIR: a.tmp,
    HELPER_SOURCE: TEST_HELPER,
    INSTALL_ONCE: '1',
    [INSTALLER_ENV.binDir]: a.bin,
    [INSTALLER_ENV.configDir]: a.config,
    [INSTALLER_ENV.hostBinDir]: a.hostBin,
    [INSTALLER_ENV.hostConfigDir]: a.hostConfig,
    ...extra,
  };
}

function installer(a: Agent, args: readonly string[] = [], extra: Record<string, string> = {}): Promise<RunResult> {
  return a.ns.run('/bin/sh', [INSTALLER, ...args], taskEnv(a, extra));
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

/** The one line of a stale INSTALL_BIN_DIR mount, without the program's prefix. */
function staleBin(a: Agent, shown: string, deleted: boolean): string {
  return deleted
    ? `INSTALL_BIN_DIR=${a.bin} is a stale mount: it shows a deleted host directory (${shown}), not HOST_BIN_DIR=${a.hostBin}`
    : `INSTALL_BIN_DIR=${a.bin} is a stale mount: it shows host directory ${shown} (path within its filesystem), not HOST_BIN_DIR=${a.hostBin} (the host replaced the directory, or HOST_BIN_DIR does not name the mounted host path)`;
}

/** --check on a stale mount: exit 3, exactly one line on stdout, nothing on stderr. */
async function assertCheckStale(a: Agent, line: string, extra: Record<string, string> = {}): Promise<void> {
  const r = await installer(a, ['--check'], extra);
  assert.equal(r.code, STALE, `${r.stdout}${r.stderr}`);
  assert.equal(r.stderr, '');
  assert.deepEqual(lines(r.stdout), [`ecr-credential-helper: check: ${line}`]);
}

async function assertCheckPasses(a: Agent, extra: Record<string, string> = {}): Promise<void> {
  const r = await installer(a, ['--check'], extra);
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.equal(r.stdout + r.stderr, '');
}

describe('stale bind mounts: HOST_BIN_DIR / HOST_CONFIG_DIR (mount namespaces)', () => {
  for (const removeOld of [false, true]) {
    const variant = removeOld ? 'renamed away and removed (root .../bin.old//deleted)' : 'renamed away, kept as bin.old';
    it(`host bin directory ${variant}: --check fails in one line, the loop exits ${STALE}, a fresh mount passes`, { timeout: 120_000 }, async () => {
      await withAgent({}, async (a) => {
        const rootBefore = a.ns.mountRoot(a.bin);
        assert.ok(rootBefore !== undefined && a.hostBin.endsWith(rootBefore), `mount root ${rootBefore} of ${a.hostBin}`);
        const p = new InstallerProcess(taskEnv(a, { INSTALL_ONCE: '', RECHECK_INTERVAL: '1' }), a.ns.enter);
        try {
          await p.waitFor(/installed; re-checking every 1s\n/);
          assert.match(p.stdout, new RegExp(`mount check: INSTALL_BIN_DIR=${a.bin} must stay a mount of HOST_BIN_DIR=${a.hostBin}\n`));
          assert.ok(fs.existsSync(path.join(a.hostBin, HELPER_BINARY_NAME)));
          await assertCheckPasses(a);

          await a.ns.replaceLikePkgpanda(a.hostBin, removeOld);
          const line = staleBin(a, `${rootBefore}.old`, removeOld);
          await assertCheckStale(a, line);

          // The loop notices at its next pass and ends, so that Marathon restarts the task.
          const exit = await p.exit();
          assert.deepEqual(exit, { code: STALE, signal: null }, p.stdout + p.stderr);
          assert.deepEqual(lines(p.stderr), [
            `ecr-credential-helper: error: ${line}; exiting with status ${STALE} so that Marathon restarts the task with a fresh mount`,
          ]);
          assert.deepEqual(fs.readdirSync(a.hostBin), [], 'nothing was written into the new host directory through the old mount');
          assert.deepEqual(fs.readdirSync(a.tmp), [], 'the work directory is removed');
        } finally {
          await p.stop('SIGKILL');
        }

        // The restarted task: a new container, with a mount of the current host directory.
        await a.ns.sh('umount "$1"', a.bin);
        await a.ns.bind(a.hostBin, a.bin);
        const r = await installer(a);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.deepEqual(fs.readFileSync(path.join(a.hostBin, HELPER_BINARY_NAME)), fs.readFileSync(TEST_HELPER));
        await assertCheckPasses(a);
      });
    });
  }

  it(`a stale mount ends a single pass (INSTALL_ONCE=1) with status ${STALE} before anything is written`, async () => {
    await withAgent({}, async (a) => {
      const rootBefore = a.ns.mountRoot(a.bin) ?? '';
      await a.ns.replaceLikePkgpanda(a.hostBin, false);
      const r = await installer(a);
      assert.equal(r.code, STALE, r.stdout + r.stderr);
      assert.deepEqual(lines(r.stderr), [`ecr-credential-helper: error: ${staleBin(a, `${rootBefore}.old`, false)}; exiting with status ${STALE} so that Marathon restarts the task with a fresh mount`]);
      assert.doesNotMatch(r.stdout, /installed|wrote/);
      assert.deepEqual(fs.readdirSync(`${a.hostBin}.old`), []);
      assert.deepEqual(fs.readdirSync(a.hostConfig), []);
    });
  });

  it('a replaced host config directory is caught the same way (INSTALL_CONFIG_DIR, HOST_CONFIG_DIR)', async () => {
    await withAgent({}, async (a) => {
      assert.equal((await installer(a)).code, 0);
      await assertCheckPasses(a);
      const rootBefore = a.ns.mountRoot(a.config) ?? '';
      await a.ns.replaceLikePkgpanda(a.hostConfig, false);
      await assertCheckStale(
        a,
        `INSTALL_CONFIG_DIR=${a.config} is a stale mount: it shows host directory ${rootBefore}.old (path within its filesystem), not HOST_CONFIG_DIR=${a.hostConfig} (the host replaced the directory, or HOST_CONFIG_DIR does not name the mounted host path)`,
      );
    });
  });

  it('the host filesystem mounted at a prefix (/opt on its own disk): root /mesosphere/bin passes, /mesosphere/bin.old fails', async () => {
    const prepare = (ns: MountNamespace, root: string): Promise<void> => ns.sh('mkdir -p "$1" && mount -t tmpfs ecr-test-opt "$1"', path.join(root, 'host/opt'));
    await withAgent({ prepare }, async (a) => {
      assert.equal(a.ns.mountRoot(a.bin), '/mesosphere/bin');
      assert.equal((await installer(a)).code, 0);
      await assertCheckPasses(a);
      // A suffix only counts at a path-segment boundary: .../xmesosphere/bin is another directory.
      const other = path.join(path.dirname(a.hostBin), '../xmesosphere/bin');
      await assertCheckStale(
        a,
        `INSTALL_BIN_DIR=${a.bin} is a stale mount: it shows host directory /mesosphere/bin (path within its filesystem), not HOST_BIN_DIR=${other} (the host replaced the directory, or HOST_BIN_DIR does not name the mounted host path)`,
        { HOST_BIN_DIR: other },
      );
      // A trailing slash on the configured path is the same directory.
      await assertCheckPasses(a, { HOST_BIN_DIR: `${a.hostBin}/` });
      await a.ns.replaceLikePkgpanda(a.hostBin, false);
      await assertCheckStale(a, staleBin(a, '/mesosphere/bin.old', false));
      await a.ns.sh('rm -rf "$1"', `${a.hostBin}.old`);
      await assertCheckStale(a, staleBin(a, '/mesosphere/bin.old', true));
    });
  });

  it('a root above the host\'s / (btrfs subvolume /@, or /opt a symlink to /var/opt): root ending with HOST_BIN_DIR passes, bin.old fails', async () => {
    // The tmpfs stands for a filesystem whose root is above the agent's /: the host path
    // /opt/mesosphere/bin shows in mountinfo as /@/opt/mesosphere/bin.
    await withAgent(
      { hostBin: 'fs/@/opt/mesosphere/bin', hostConfig: 'fs/@/etc', prepare: (ns, root) => ns.sh('mkdir -p "$1" && mount -t tmpfs ecr-test-subvol "$1"', path.join(root, 'fs')) },
      async (a) => {
        assert.equal(a.ns.mountRoot(a.bin), '/@/opt/mesosphere/bin');
        const env = { HOST_BIN_DIR: '/opt/mesosphere/bin', HOST_CONFIG_DIR: '/etc' };
        assert.equal((await installer(a, [], env)).code, 0);
        await assertCheckPasses(a, env);
        // Only at a path-segment boundary: /@/opt/mesosphere/bin does not end with /pt/mesosphere/bin.
        const r0 = await installer(a, ['--check'], { ...env, HOST_BIN_DIR: '/pt/mesosphere/bin' });
        assert.equal(r0.code, STALE);
        await a.ns.replaceLikePkgpanda(a.hostBin, false);
        const r = await installer(a, ['--check'], env);
        assert.equal(r.code, STALE);
        assert.match(lines(r.stdout).join('\n'), /is a stale mount: it shows host directory \/@\/opt\/mesosphere\/bin\.old/);
      },
    );
  });

  it("the host's root filesystem (the usual agent): mount root equal to HOST_BIN_DIR passes", async () => {
    // A tmpfs stands for the agent's root filesystem; the host path as configured is /opt/mesosphere/bin.
    await withAgent(
      { hostBin: 'rootfs/opt/mesosphere/bin', hostConfig: 'rootfs/etc', prepare: (ns, root) => ns.sh('mkdir -p "$1" && mount -t tmpfs ecr-test-root "$1"', path.join(root, 'rootfs')) },
      async (a) => {
        assert.equal(a.ns.mountRoot(a.bin), '/opt/mesosphere/bin');
        assert.equal(a.ns.mountRoot(a.config), '/etc');
        const env = { HOST_BIN_DIR: '/opt/mesosphere/bin', HOST_CONFIG_DIR: '/etc' };
        assert.equal((await installer(a, [], env)).code, 0);
        await assertCheckPasses(a, env);
        await a.ns.replaceLikePkgpanda(a.hostBin, true);
        const r = await installer(a, ['--check'], env);
        assert.equal(r.code, STALE);
        assert.deepEqual(lines(r.stdout), [
          `ecr-credential-helper: check: INSTALL_BIN_DIR=${a.bin} is a stale mount: it shows a deleted host directory (/opt/mesosphere/bin.old), not HOST_BIN_DIR=/opt/mesosphere/bin`,
        ]);
      },
    );
  });

  it('paths with a space, a tab and a backslash (octal escapes in mountinfo)', async () => {
    await withAgent({ hostBin: 'host dir/my bin\\x\ty', bin: 'con tainer/bin dir' }, async (a) => {
      const raw = a.ns.mountinfoLine(a.bin) ?? '';
      assert.match(raw, /host\\040dir\/my\\040bin\\134x\\011y /, raw);
      assert.match(raw, /con\\040tainer\/bin\\040dir /, raw);
      assert.equal((await installer(a)).code, 0);
      assert.ok(fs.existsSync(path.join(a.hostBin, HELPER_BINARY_NAME)));
      await assertCheckPasses(a);
      const rootBefore = a.ns.mountRoot(a.bin) ?? '';
      assert.ok(rootBefore.endsWith('/host dir/my bin\\x\ty'), rootBefore);
      await a.ns.replaceLikePkgpanda(a.hostBin, false);
      await assertCheckStale(a, staleBin(a, `${rootBefore}.old`, false));
    });
  });

  it('stacked mounts: the mount on top decides', async () => {
    await withAgent({}, async (a) => {
      await a.ns.replaceLikePkgpanda(a.hostBin, false);
      assert.equal((await installer(a, ['--check'])).code, STALE);
      await a.ns.bind(a.hostBin, a.bin);
      assert.equal((await installer(a)).code, 0);
      await assertCheckPasses(a);
    });
  });

  it('no check without a host path (HOST_BIN_DIR, HOST_CONFIG_DIR empty): a stale mount passes, as before', async () => {
    await withAgent({}, async (a) => {
      const none = { HOST_BIN_DIR: '', HOST_CONFIG_DIR: '' };
      const first = await installer(a, [], none);
      assert.equal(first.code, 0);
      assert.doesNotMatch(first.stdout, /mount check/);
      await a.ns.replaceLikePkgpanda(a.hostBin, false);
      await a.ns.replaceLikePkgpanda(a.hostConfig, false);
      // The blind spot this check closes: the files are still there, in the old directories.
      await assertCheckPasses(a, none);
      const r = await installer(a, [], none);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(fs.readdirSync(a.hostBin), []);
    });
  });

  it('no check when INSTALL_BIN_DIR / INSTALL_CONFIG_DIR are not mount points (a hand-run installer)', async () => {
    const root = temp.make('no-mount');
    const dirs = { bin: path.join(root, 'bin'), config: path.join(root, 'config'), tmp: path.join(root, 'tmp') };
    for (const dir of Object.values(dirs)) fs.mkdirSync(dir);
    const env = {
      PATH: SYSTEM_PATH,
      TMPDIR: dirs.tmp,
      HELPER_SOURCE: TEST_HELPER,
      INSTALL_ONCE: '1',
      INSTALL_BIN_DIR: dirs.bin,
      INSTALL_CONFIG_DIR: dirs.config,
      HOST_BIN_DIR: '/opt/mesosphere/bin',
      HOST_CONFIG_DIR: '/etc',
    };
    const r = await run('/bin/sh', [INSTALLER], { env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`mount check: INSTALL_BIN_DIR=${dirs.bin} is not a mount point, not checked\n`));
    assert.match(r.stdout, new RegExp(`mount check: INSTALL_CONFIG_DIR=${dirs.config} is not a mount point, not checked\n`));
    const check = await run('/bin/sh', [INSTALLER, '--check'], { env });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.equal(check.stdout + check.stderr, '');
  });

  it('with busybox applets only (the runtime image): passes on a fresh mount, exits 3 on a stale one', async () => {
    const busybox = requireTool('/usr/bin/busybox', 'busybox');
    const applets = temp.make('busybox');
    assert.equal((await run(busybox, ['--install', '-s', applets])).code, 0);
    await withAgent({ bin: 'con tainer/bin' }, async (a) => {
      const env = { PATH: applets };
      const sh = path.join(applets, 'sh');
      let r = await a.ns.run(sh, [INSTALLER], taskEnv(a, env));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /mount check: INSTALL_BIN_DIR=.* must stay a mount of HOST_BIN_DIR=/);
      r = await a.ns.run(sh, [INSTALLER, '--check'], taskEnv(a, env));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const rootBefore = a.ns.mountRoot(a.bin) ?? '';
      await a.ns.replaceLikePkgpanda(a.hostBin, true);
      r = await a.ns.run(sh, [INSTALLER, '--check'], taskEnv(a, env));
      assert.equal(r.code, STALE, r.stdout + r.stderr);
      assert.deepEqual(lines(r.stdout), [`ecr-credential-helper: check: ${staleBin(a, `${rootBefore}.old`, true)}`]);
      r = await a.ns.run(sh, [INSTALLER], taskEnv(a, env));
      assert.equal(r.code, STALE, r.stdout + r.stderr);
      assert.match(r.stderr, /is a stale mount: it shows a deleted host directory/);
    });
  });
});

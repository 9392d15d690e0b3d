import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../support/cli.js';

export { PROJECT_ROOT };

export const INSTALLER = path.join(PROJECT_ROOT, 'package-template/image/install.sh');
export const TEST_HELPER = path.join(PROJECT_ROOT, 'test/agent/fixtures/test-credential-helper.sh');
export const REGISTRY_SCRIPT = path.join(PROJECT_ROOT, 'test/agent/fixtures/registry-pull.sh');
export const CLI_MAIN = path.join(PROJECT_ROOT, 'bin/ecr-universe.cjs');

/** A PATH with the system tools only (no /usr/local/bin: the Debian docker client is /usr/bin/docker). */
export const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/** Fails with a clear message when a tool of .ci/apt-packages is missing. */
export function requireTool(file: string, pkg: string): string {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: install the Debian package ${pkg} (listed in .ci/apt-packages)`);
  return file;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
  /** A guard against hangs, not a measurement: the process is killed and the run fails. */
  timeoutMs?: number;
}

/** Runs a program to its end and collects its output (no shell). */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? { PATH: SYSTEM_PATH }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} ${args.join(' ')}: still running after ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A program may exit before reading its input: that is its business, not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** A temporary directory standing for something (a host, a sandbox), removed by `cleanup()`. */
export class TempDirs {
  private readonly dirs: string[] = [];

  make(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ecr-agent-${prefix}-`));
    this.dirs.push(dir);
    return dir;
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A fake agent host: a bin directory, a config directory, and a TMPDIR for the installer. */
export interface Host {
  root: string;
  bin: string;
  config: string;
  tmp: string;
}

export function makeHost(temp: TempDirs, name = 'host'): Host {
  const root = temp.make(name);
  const host = { root, bin: path.join(root, 'opt/mesosphere/bin'), config: path.join(root, 'etc'), tmp: path.join(root, 'tmp') };
  for (const dir of [host.bin, host.config, host.tmp]) fs.mkdirSync(dir, { recursive: true });
  return host;
}

export interface InstallerEnv {
  CREDENTIAL_MODE?: string;
  ECR_REGISTRIES?: string;
  HELPER_CACHE?: string;
  TARBALL_NAME?: string;
  HELPER_SOURCE?: string;
  RECHECK_INTERVAL?: string;
  INSTALL_ONCE?: string;
  INSTALL_BIN_DIR?: string;
  INSTALL_CONFIG_DIR?: string;
  HOST_BIN_DIR?: string;
  HOST_CONFIG_DIR?: string;
  PATH?: string;
}

/** The installer's environment for a fake host: its directories, the test helper, one pass. */
export function installerEnv(host: Host, extra: InstallerEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: SYSTEM_PATH,
    TMPDIR: host.tmp,
    INSTALL_BIN_DIR: host.bin,
    INSTALL_CONFIG_DIR: host.config,
    HELPER_SOURCE: TEST_HELPER,
    INSTALL_ONCE: '1',
    ...extra,
  };
}

export function runInstaller(host: Host, extra: InstallerEnv = {}, args: readonly string[] = []): Promise<RunResult> {
  return run('/bin/sh', [INSTALLER, ...args], { env: installerEnv(host, extra) });
}

/**
 * A long-running installer whose output is watched line by line. `prefix` is a command that
 * execs the installer (e.g. `nsenter -t PID -m --`, to run it in a mount namespace).
 */
export class InstallerProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private waiters: { pattern: RegExp; from: number; resolve: () => void }[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: NodeJS.ProcessEnv, prefix: readonly string[] = []) {
    const [file, ...args] = [...prefix, '/bin/sh', INSTALLER];
    this.child = spawn(file ?? '/bin/sh', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
      this.wake();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves when stdout, from offset `from` on, matches `pattern` (guarded by a timeout). */
  waitFor(pattern: RegExp, from = 0, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in installer output after ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`)), timeoutMs);
      this.waiters.push({
        pattern,
        from,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.wake();
    });
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.pattern.test(this.stdout.slice(w.from))) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when the installer exits by itself (guarded by a timeout: it is killed and the wait fails). */
  exit(timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`the installer did not exit within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`));
      }, timeoutMs);
      void this.exited.then((status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export function sha256(file: string): string {
  const r = spawnSync('sha256sum', [file], { encoding: 'utf8' });
  return r.stdout.split(' ')[0] ?? '';
}

/** Every file under `dir` (relative path -> mode and content), to show a directory untouched. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      const st = fs.lstatSync(full);
      const rel = path.relative(dir, full);
      if (entry.isDirectory()) {
        out.set(`${rel}/`, (st.mode & 0o7777).toString(8));
        walk(full);
      } else {
        out.set(rel, `${(st.mode & 0o7777).toString(8)} ${st.ino} ${fs.readFileSync(full).toString('base64')}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** Extracts a tarball into a sandbox as the Mesos fetcher does (`tar -C <dir> -xf <file>`). */
export async function fetchAndExtract(tarball: string, sandbox: string): Promise<void> {
  const r = await run('tar', ['-C', sandbox, '-xf', tarball]);
  if (r.code !== 0) throw new Error(`tar -xf ${tarball}: ${r.stderr}`);
}

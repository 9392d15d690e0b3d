/**
 * `ecr-universe serve` without the command line: what to serve (a build directory, or a packages
 * directory built in memory), and `--watch`, which rebuilds (or reloads) on change and keeps
 * serving the last good site when the new one fails.
 */
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { BuildError, buildUniverse, EMPTY_REPO_FILE, UNIVERSE_FILE } from '../build/build.js';
import { Site } from './site.js';
import { UniverseServer, type ServerLimits } from './server.js';

export interface ServeSettings {
  /** A build directory (with universe.json or repo-empty-v3.json) or a packages directory. */
  input: string;
  host?: string;
  port?: number;
  /** A listening socket to serve on instead of host and port. */
  fd?: number;
  watch?: boolean;
  limits?: Partial<ServerLimits>;
  accessLog?: (line: string) => void;
  /** Progress and rebuild messages (default: none). */
  info?: (message: string) => void;
  /** Milliseconds of quiet after a change before rebuilding (default 200). */
  debounce?: number;
}

export interface RunningServer {
  server: UniverseServer;
  address: AddressInfo;
  /** Resolves after each rebuild or reload attempt (true: the new site is served). */
  onReload(listener: (ok: boolean) => void): void;
  close(): Promise<void>;
}

/** True when `dir` holds a build rather than packages. */
export function isBuildDirectory(dir: string): boolean {
  return fs.existsSync(path.join(dir, UNIVERSE_FILE)) || fs.existsSync(path.join(dir, EMPTY_REPO_FILE));
}

/** Loads or builds the site for `input`; throws BuildError or Error when it cannot. */
export async function loadSite(input: string): Promise<Site> {
  if (isBuildDirectory(input)) return Site.fromDirectory(input);
  const output = await buildUniverse(input);
  return Site.fromBuild(output, input);
}

export async function startServer(settings: ServeSettings): Promise<RunningServer> {
  const info = settings.info ?? ((): void => undefined);
  const site = await loadSite(settings.input);
  const server = new UniverseServer(site, { host: settings.host, port: settings.port, fd: settings.fd, limits: settings.limits, accessLog: settings.accessLog });
  const address = await server.listen();
  const listeners: ((ok: boolean) => void)[] = [];
  let watcher: Watcher | undefined;
  if (settings.watch) {
    watcher = new Watcher(settings.input, settings.debounce ?? 200, async () => {
      let ok = false;
      try {
        const next = await loadSite(settings.input);
        server.setSite(next);
        ok = true;
        info(`reloaded ${settings.input}${next.revisions === undefined ? '' : ` (${next.revisions} revisions)`}`);
      } catch (e) {
        if (e instanceof BuildError) for (const d of e.diagnostics) info(formatDiagnostic(d));
        info(`${e instanceof BuildError ? e.message : `cannot load ${settings.input}: ${(e as Error).message}`}; still serving the last good build`);
      }
      for (const l of listeners) l(ok);
    });
  }
  return {
    server,
    address,
    onReload: (l) => listeners.push(l),
    close: async () => {
      watcher?.close();
      await server.close();
    },
  };
}

/**
 * Watches the input for changes: a packages directory recursively; a build directory through
 * its parent too, since a new build replaces it by rename. Runs `reload` once things are quiet,
 * never two at a time.
 */
class Watcher {
  private readonly watchers: fs.FSWatcher[] = [];
  /** The build directory's own watcher (build mode), renewed when the directory is replaced. */
  private inner: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pending = false;
  private closed = false;

  constructor(
    private readonly input: string,
    private readonly debounce: number,
    private readonly reload: () => Promise<void>,
  ) {
    const abs = path.resolve(input);
    if (isBuildDirectory(abs)) {
      const base = path.basename(abs);
      const parent = this.watch(path.dirname(abs), false, (name) => name === null || name === base);
      if (parent !== undefined) this.watchers.push(parent);
      this.inner = this.watch(abs, true);
    } else {
      const w = this.watch(abs, true);
      if (w !== undefined) this.watchers.push(w);
    }
  }

  private watch(dir: string, recursive: boolean, filter?: (name: string | null) => boolean): fs.FSWatcher | undefined {
    try {
      const w = fs.watch(dir, { recursive }, (_event, name) => {
        if (filter === undefined || filter(name === null ? null : String(name))) this.changed();
      });
      w.on('error', () => this.changed());
      return w;
    } catch {
      // A directory that vanished (being replaced) is seen through its parent.
      return undefined;
    }
  }

  private changed(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), this.debounce);
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = true;
    try {
      await this.reload();
    } finally {
      this.running = false;
      if (this.pending && !this.closed) {
        this.pending = false;
        this.changed();
      }
    }
    // A replaced build directory is a new inode: watch it again.
    if (!this.closed && isBuildDirectory(this.input)) this.rewatch();
  }

  private rewatch(): void {
    this.inner?.close();
    this.inner = this.watch(path.resolve(this.input), true);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.inner?.close();
  }
}

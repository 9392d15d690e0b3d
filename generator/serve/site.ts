/**
 * What the server serves: the files of one build, held in memory, by relative path. A site
 * comes from an in-memory build of a packages directory or from a build directory on disk, and
 * never changes; a rebuild makes a new site that replaces the old one as a whole.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_DCOS_VERSIONS, repoContentType, repoFormatFor, type BuildDcosVersion } from '../build/gen.js';
import { EMPTY_REPO_FILE, UNIVERSE_FILE, type BuildOutput, type OutputBody } from '../build/build.js';

export interface SiteFile {
  /** Relative path, `/`-separated. */
  path: string;
  /** The Content-Type of the file served by name. */
  mediaType: string;
  body: Buffer;
  gzip: Buffer | undefined;
  /** Strong validator of the bytes (the gzip copy's differs). */
  etag: string;
  gzipEtag: string | undefined;
}

export class Site {
  private readonly cache = new Map<string, SiteFile>();

  private constructor(
    private readonly source: Map<string, { mediaType: string; body: () => Buffer; gzip: () => Buffer | undefined }>,
    /** Where it comes from, for messages. */
    readonly origin: string,
    readonly revisions: number | undefined,
  ) {}

  /** A site over an in-memory build; each file's bytes are joined on first request. */
  static fromBuild(output: BuildOutput, origin: string): Site {
    // Files with the same bytes share their pieces: join them once.
    const joined = new WeakMap<Buffer[], Buffer>();
    const join = (body: OutputBody): Buffer => {
      let b = joined.get(body.parts);
      if (b === undefined) joined.set(body.parts, (b = joinParts(body)));
      return b;
    };
    const source = new Map<string, { mediaType: string; body: () => Buffer; gzip: () => Buffer | undefined }>();
    for (const f of output.files.values()) {
      const gz = f.gzip;
      source.set(f.path, { mediaType: f.mediaType, body: () => join(f), gzip: () => (gz === undefined ? undefined : join(gz)) });
      // gen_universe.py's files by name, gzip copies included, as nginx serves the directory.
      if (gz !== undefined) source.set(`${f.path}.gz`, { mediaType: 'application/gzip', body: () => join(gz), gzip: () => undefined });
    }
    return new Site(source, origin, output.revisions);
  }

  /** A site over a build directory, read whole now (so a later rebuild cannot mix two builds). */
  static fromDirectory(dir: string): Site {
    const files = listFiles(dir);
    const present = new Set(files);
    if (!present.has(EMPTY_REPO_FILE) && !present.has(UNIVERSE_FILE)) {
      throw new Error(`${dir} is not a Universe build directory (no ${UNIVERSE_FILE} or ${EMPTY_REPO_FILE})`);
    }
    const bytes = new Map<string, Buffer>();
    // The build hard-links identical files: read each inode once.
    const byInode = new Map<string, Buffer>();
    for (const f of files) {
      const file = path.join(dir, ...f.split('/'));
      const st = fs.statSync(file, { bigint: true });
      const inode = `${st.dev}:${st.ino}`;
      let b = byInode.get(inode);
      if (b === undefined) byInode.set(inode, (b = fs.readFileSync(file)));
      bytes.set(f, b);
    }
    const source = new Map<string, { mediaType: string; body: () => Buffer; gzip: () => Buffer | undefined }>();
    for (const [f, body] of bytes) {
      const gz = f.endsWith('.json') ? bytes.get(`${f}.gz`) : undefined;
      source.set(f, { mediaType: mediaTypeOf(f, bytes), body: () => body, gzip: () => gz });
    }
    return new Site(source, dir, undefined);
  }

  has(file: string): boolean {
    return this.source.has(file);
  }

  file(file: string): SiteFile | undefined {
    let f = this.cache.get(file);
    if (f !== undefined) return f;
    const s = this.source.get(file);
    if (s === undefined) return undefined;
    const body = s.body();
    const gzip = s.gzip();
    f = { path: file, mediaType: s.mediaType, body, gzip, etag: etagOf(body), gzipEtag: gzip === undefined ? undefined : etagOf(gzip) };
    this.cache.set(file, f);
    return f;
  }

  paths(): string[] {
    return [...this.source.keys()];
  }
}

function joinParts(body: OutputBody): Buffer {
  return body.parts.length === 1 ? (body.parts[0] as Buffer) : Buffer.concat(body.parts, body.size);
}

function etagOf(bytes: Buffer): string {
  return `"${createHash('sha1').update(bytes).digest('base64url')}"`;
}

/** Files under `dir`, relative, `/`-separated; hidden entries (staging leftovers) skipped. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

const VERSION_DIR = new Map<string, BuildDcosVersion>(BUILD_DCOS_VERSIONS.map((v) => [v, v]));

/** The media type of a file of a build directory, as the build (and the public server) gives it. */
function mediaTypeOf(file: string, files: Map<string, Buffer>): string {
  if (file.endsWith('.content_type')) return 'text/plain; charset=utf-8';
  if (file.endsWith('.gz')) return 'application/gzip';
  if (!file.endsWith('.json')) return 'application/octet-stream';
  const ct = files.get(`${file.slice(0, -'.json'.length)}.content_type`);
  if (ct !== undefined) return ct.toString('utf8').trim();
  const v = VERSION_DIR.get(file.split('/')[0] as string);
  if (v !== undefined && /^[^/]+\/package\/[^/]+\.json$/.test(file)) return repoContentType(repoFormatFor(v));
  return 'application/json';
}

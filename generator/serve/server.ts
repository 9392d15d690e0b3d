/**
 * The Universe server: the public Universe server's protocol (mesosphere/universe docker/server,
 * nginx) over a Site held in memory.
 *
 * - `GET|HEAD /repo`: `repo-up-to-V.json`, V from User-Agent, media type from Accept
 *   (negotiate.ts); `/package/<name>`: `V/package/<name>.json` the same way;
 * - every file of the build by its path (`/repo-empty-v3.json` is the health check);
 * - ETag / If-None-Match (304), the gzip copy when the client accepts gzip, Content-Length,
 *   405 for other methods, 404 for anything else (no directory listing, no path outside the
 *   build: paths are looked up, never joined to a directory), 406 when Accept excludes the repo
 *   media types;
 * - header and idle timeouts, a cap on header size, one access-log line per request (http.ts).
 */
import type { AddressInfo } from 'node:net';
import { repoContentType, repoFormatFor, type RepoFormat } from '../build/gen.js';
import { packageFile, repoFile } from '../build/build.js';
import { PACKAGE_NAME } from '../build/source.js';
import { HttpServer, statusLine, textResponse, type HttpResponse, type RequestHead } from './http.js';
import { acceptedRepoFormat, acceptsGzip, dcosVersionOf, noneMatch } from './negotiate.js';
import type { Site, SiteFile } from './site.js';

export interface ServerLimits {
  /** Milliseconds to receive a request head from its first byte (slow clients get 408). */
  headersTimeout: number;
  /** Milliseconds an idle keep-alive connection stays open. */
  keepAliveTimeout: number;
  /** Milliseconds a client may leave an answer unread before the connection is dropped. */
  idleTimeout: number;
  /** Bytes of request line and header fields (more gets 431). */
  maxHeaderSize: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeout: 10_000,
  keepAliveTimeout: 5_000,
  idleTimeout: 60_000,
  maxHeaderSize: 16 * 1024,
};

export interface ServerOptions {
  host?: string;
  port?: number;
  /** A listening socket to serve on instead of host and port (serve --workers, reusePort.ts). */
  fd?: number;
  limits?: Partial<ServerLimits>;
  /** Receives one line per request (no trailing newline); default: none. */
  accessLog?: (line: string) => void;
}

const NEGOTIATED_VARY = 'Accept, User-Agent, Accept-Encoding';

/** One representation of a file: its 200 and 304 answers, prepared once. */
interface Variant {
  etag: string;
  ok: HttpResponse;
  notModified: HttpResponse;
}

type Resolved = { variant: Variant } | { error: HttpResponse };

/** Answers prepared for one site; replaced whole with the site. */
class Answers {
  /** By parsed request head (identical heads parse to the same object). */
  readonly byHead = new WeakMap<RequestHead, Resolved>();
  /** By request target and the headers negotiation reads. */
  readonly byRequest = new Map<string, Resolved>();
  /** By file, media type and encoding. */
  readonly variants = new Map<string, Variant>();
  constructor(readonly site: Site) {}
}

const MAX_CACHED = 4096;
const NOT_FOUND = textResponse(404, '404 Not Found\n');
const NOT_FOUND_NEGOTIATED = textResponse(404, '404 Not Found\n', `Vary: ${NEGOTIATED_VARY}\r\n`);
const BAD_REQUEST = { ...textResponse(400, '400 Bad Request\n'), close: true };
const METHOD_NOT_ALLOWED = { ...textResponse(405, '405 Method Not Allowed\n', 'Allow: GET, HEAD\r\n'), close: true };
const NOT_ACCEPTABLE = textResponse(406, `406 Not Acceptable: this server answers with ${repoContentType('v3')}, v4 or v5\n`, `Vary: ${NEGOTIATED_VARY}\r\n`);

export class UniverseServer {
  private readonly http: HttpServer;
  private answers: Answers;

  constructor(site: Site, private readonly options: ServerOptions = {}) {
    this.answers = new Answers(site);
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.http = new HttpServer((req) => this.handle(req), limits, options.accessLog);
  }

  get site(): Site {
    return this.answers.site;
  }

  /** Serves `site` from the next request on. */
  setSite(site: Site): void {
    this.answers = new Answers(site);
  }

  listen(): Promise<AddressInfo> {
    const fd = this.options.fd;
    return this.http.listen(fd !== undefined ? { fd } : { port: this.options.port ?? 8085, host: this.options.host ?? '127.0.0.1' });
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    return this.http.close();
  }

  private handle(req: RequestHead): HttpResponse {
    if (req.method !== 'GET' && req.method !== 'HEAD') return METHOD_NOT_ALLOWED;
    const h = req.headers;
    const answers = this.answers;
    let resolved = answers.byHead.get(req);
    if (resolved === undefined) {
      const key = `${req.target}\n${h.get('accept') ?? '\u0000'}\n${h.get('user-agent') ?? '\u0000'}\n${acceptsGzip(h.get('accept-encoding')) ? 'gz' : ''}`;
      resolved = answers.byRequest.get(key);
      if (resolved === undefined) {
        resolved = this.resolve(req, answers);
        if (answers.byRequest.size >= MAX_CACHED) answers.byRequest.clear();
        answers.byRequest.set(key, resolved);
      }
      answers.byHead.set(req, resolved);
    }
    if ('error' in resolved) return resolved.error;
    const inm = h.get('if-none-match');
    return inm !== undefined && noneMatch(inm, resolved.variant.etag) ? resolved.variant.notModified : resolved.variant.ok;
  }

  private resolve(req: RequestHead, answers: Answers): Resolved {
    const target = requestPath(req.target);
    if (target === null) return { error: BAD_REQUEST };
    if (target === undefined) return { error: NOT_FOUND };
    const gzip = acceptsGzip(req.headers.get('accept-encoding'));
    if (target === '/repo') return this.negotiated(req, answers, gzip, (v) => repoFile(v));
    if (target.startsWith('/package/')) {
      const name = target.slice('/package/'.length);
      if (!PACKAGE_NAME.test(name)) return { error: NOT_FOUND_NEGOTIATED };
      return this.negotiated(req, answers, gzip, (v) => packageFile(v, name));
    }
    const file = target.length > 1 ? answers.site.file(target.slice(1)) : undefined;
    if (file === undefined) return { error: NOT_FOUND };
    return { variant: variant(answers, file, file.mediaType, '', gzip, file.gzip === undefined ? undefined : 'Accept-Encoding') };
  }

  /** `/repo` and `/package/<name>`: the file of the client's DC/OS version, typed by its Accept. */
  private negotiated(req: RequestHead, answers: Answers, gzip: boolean, fileFor: (v: ReturnType<typeof dcosVersionOf>) => string): Resolved {
    const accepted = acceptedRepoFormat(req.headers.get('accept'));
    if (accepted === undefined) return { error: NOT_ACCEPTABLE };
    const version = dcosVersionOf(req.headers.get('user-agent'));
    const file = answers.site.file(fileFor(version));
    if (file === undefined) return { error: NOT_FOUND_NEGOTIATED };
    const format: RepoFormat = accepted.format ?? repoFormatFor(version);
    return { variant: variant(answers, file, repoContentType(format), `-${format}`, gzip, NEGOTIATED_VARY) };
  }
}

/** The representation of `file` with this media type and encoding, prepared on first use. */
function variant(answers: Answers, file: SiteFile, mediaType: string, tagSuffix: string, acceptsGz: boolean, vary: string | undefined): Variant {
  const gzip = acceptsGz && file.gzip !== undefined;
  const key = `${file.path}\n${mediaType}\n${gzip ? 'gz' : ''}`;
  let v = answers.variants.get(key);
  if (v !== undefined) return v;
  const body = gzip ? (file.gzip as Buffer) : file.body;
  const etag = `${(gzip ? (file.gzipEtag as string) : file.etag).slice(0, -1)}${tagSuffix}"`;
  const common = `ETag: ${etag}\r\n${vary === undefined ? '' : `Vary: ${vary}\r\n`}`;
  const ok = Buffer.from(`${statusLine(200)}Content-Type: ${mediaType}\r\n${common}${gzip ? 'Content-Encoding: gzip\r\n' : ''}Content-Length: ${body.length}\r\n`, 'latin1');
  const notModified = Buffer.from(`${statusLine(304)}${common}`, 'latin1');
  v = { etag, ok: { head: ok, status: 200, body }, notModified: { head: notModified, status: 304 } };
  if (answers.variants.size >= MAX_CACHED) answers.variants.clear();
  answers.variants.set(key, v);
  return v;
}

/**
 * The decoded path of a request target (origin form, or absolute form); null when it is not a
 * path (400), undefined when no file can have it (404): a NUL, a backslash, an empty, `.` or
 * `..` segment. The query string is ignored.
 */
export function requestPath(target: string): string | null | undefined {
  let raw = target;
  if (/^https?:\/\//i.test(raw)) {
    const slash = raw.indexOf('/', raw.indexOf('//') + 2);
    raw = slash < 0 ? '/' : raw.slice(slash);
  }
  const q = raw.search(/[?#]/);
  if (q >= 0) raw = raw.slice(0, q);
  if (!raw.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded === '/') return decoded;
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return decoded;
}

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
 * - header and request timeouts, a cap on header size, one access-log line per request.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { repoContentType, repoFormatFor, type RepoFormat } from '../build/gen.js';
import { packageFile, repoFile } from '../build/build.js';
import { PACKAGE_NAME } from '../build/source.js';
import { acceptedRepoFormat, acceptsGzip, dcosVersionOf, noneMatch } from './negotiate.js';
import type { Site, SiteFile } from './site.js';

export interface ServerLimits {
  /** Milliseconds to receive the request line and headers (slow-header clients get 408). */
  headersTimeout: number;
  /** Milliseconds to receive a whole request. */
  requestTimeout: number;
  /** Milliseconds an idle keep-alive connection stays open. */
  keepAliveTimeout: number;
  /** Milliseconds without any socket activity (a client that stops reading) before closing. */
  idleTimeout: number;
  /** Bytes of request line and headers (more gets 431). */
  maxHeaderSize: number;
  /** How often Node checks the header and request timeouts, in milliseconds. */
  checkInterval: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  idleTimeout: 60_000,
  maxHeaderSize: 16 * 1024,
  checkInterval: 1_000,
};

export interface ServerOptions {
  host?: string;
  port?: number;
  limits?: Partial<ServerLimits>;
  /** Receives one line per request (no trailing newline); default: none. */
  accessLog?: (line: string) => void;
}

const ALLOW = 'GET, HEAD';
const PLAIN_TEXT = 'text/plain; charset=utf-8';
const NEGOTIATED_VARY = 'Accept, User-Agent, Accept-Encoding';

export class UniverseServer {
  readonly server: http.Server;
  private current: Site;
  private readonly log: ((line: string) => void) | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(site: Site, private readonly options: ServerOptions = {}) {
    this.current = site;
    this.log = options.accessLog;
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.server = http.createServer(
      {
        maxHeaderSize: limits.maxHeaderSize,
        requestTimeout: limits.requestTimeout,
        headersTimeout: limits.headersTimeout,
        keepAliveTimeout: limits.keepAliveTimeout,
        connectionsCheckingInterval: limits.checkInterval,
      },
      (req, res) => this.handle(req, res),
    );
    this.server.keepAliveTimeout = limits.keepAliveTimeout;
    this.server.timeout = limits.idleTimeout;
    this.server.on('timeout', (socket: Socket) => socket.destroy());
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.clientError(err, socket));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get site(): Site {
    return this.current;
  }

  /** Serves `site` from the next request on; requests under way finish with the old one. */
  setSite(site: Site): void {
    this.current = site;
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 8085, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const start = process.hrtime.bigint();
    const method = req.method ?? '';
    let status: number;
    let bytes = 0;
    try {
      const reply = this.route(req);
      status = reply.status;
      if (method === 'HEAD' || reply.body === undefined || status === 304) {
        res.writeHead(status, reply.headers);
        res.end();
      } else {
        bytes = reply.body.length;
        res.writeHead(status, reply.headers);
        res.end(reply.body);
      }
    } catch {
      status = 500;
      if (!res.headersSent) {
        const reply = text(500, '500 Internal Server Error\n', ['Connection', 'close']);
        res.writeHead(500, reply.headers);
        res.end(reply.body);
      } else res.destroy();
    }
    if (this.log) this.access(req, status, bytes, start);
  }

  private route(req: http.IncomingMessage): Reply {
    const method = req.method ?? '';
    if (method !== 'GET' && method !== 'HEAD') {
      // The body (if any) is not read: the connection closes after the answer.
      return text(405, '405 Method Not Allowed\n', ['Allow', ALLOW, 'Connection', 'close']);
    }
    const target = requestPath(req.url ?? '');
    if (target === null) return text(400, '400 Bad Request\n');
    if (target === undefined) return notFound();
    const site = this.current;
    if (target === '/repo') return this.negotiated(req, site, (v) => repoFile(v));
    if (target.startsWith('/package/')) {
      const name = target.slice('/package/'.length);
      if (!PACKAGE_NAME.test(name)) return notFound();
      return this.negotiated(req, site, (v) => packageFile(v, name));
    }
    const file = target.length > 1 ? site.file(target.slice(1)) : undefined;
    if (file === undefined) return notFound();
    return this.fileReply(req, file, file.mediaType, '', file.gzip === undefined ? undefined : 'Accept-Encoding');
  }

  /** `/repo` and `/package/<name>`: the file of the client's DC/OS version, typed by its Accept. */
  private negotiated(req: http.IncomingMessage, site: Site, fileFor: (v: ReturnType<typeof dcosVersionOf>) => string): Reply {
    const accepted = acceptedRepoFormat(header(req, 'accept'));
    if (accepted === undefined) {
      return text(406, `406 Not Acceptable: this server answers with ${repoContentType('v3')}, v4 or v5\n`, ['Vary', NEGOTIATED_VARY]);
    }
    const version = dcosVersionOf(header(req, 'user-agent'));
    const file = site.file(fileFor(version));
    if (file === undefined) return notFound(['Vary', NEGOTIATED_VARY]);
    const format: RepoFormat = accepted.format ?? repoFormatFor(version);
    return this.fileReply(req, file, repoContentType(format), `-${format}`, NEGOTIATED_VARY);
  }

  private fileReply(req: http.IncomingMessage, file: SiteFile, mediaType: string, tagSuffix: string, vary: string | undefined): Reply {
    const gzip = file.gzip !== undefined && acceptsGzip(header(req, 'accept-encoding'));
    const body = gzip ? (file.gzip as Buffer) : file.body;
    const etag = `${(gzip ? (file.gzipEtag as string) : file.etag).slice(0, -1)}${tagSuffix}"`;
    const headers = ['Content-Type', mediaType, 'ETag', etag];
    if (vary !== undefined) headers.push('Vary', vary);
    if (noneMatch(header(req, 'if-none-match'), etag)) return { status: 304, headers };
    if (gzip) headers.push('Content-Encoding', 'gzip');
    headers.push('Content-Length', String(body.length));
    return { status: 200, headers, body };
  }

  private clientError(err: NodeJS.ErrnoException, socket: Socket): void {
    let status = 400;
    if (err.code === 'HPE_HEADER_OVERFLOW') status = 431;
    else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') status = 408;
    else if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const reason = http.STATUS_CODES[status] ?? 'Bad Request';
    const body = `${status} ${reason}\n`;
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${PLAIN_TEXT}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    if (this.log) this.log(`${new Date().toISOString()} ${socket.remoteAddress ?? '-'} "-" ${status} 0 "-" 0.0ms ${err.code ?? 'client error'}`);
  }

  private access(req: http.IncomingMessage, status: number, bytes: number, start: bigint): void {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const ua = header(req, 'user-agent') ?? '-';
    const line = `${new Date().toISOString()} ${req.socket.remoteAddress ?? '-'} "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${bytes} "${ua.replace(/["\\\r\n]/g, '_')}" ${ms.toFixed(1)}ms`;
    (this.log as (line: string) => void)(line);
  }
}

interface Reply {
  status: number;
  headers: string[];
  body?: Buffer;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function text(status: number, message: string, extra: string[] = []): Reply {
  const body = Buffer.from(message, 'utf8');
  return { status, headers: ['Content-Type', PLAIN_TEXT, ...extra, 'Content-Length', String(body.length)], body };
}

function notFound(extra: string[] = []): Reply {
  return text(404, '404 Not Found\n', extra);
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

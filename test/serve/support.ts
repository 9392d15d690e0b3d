import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a fresh connection; the body as received (no decoding). */
export function request(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Writes `text` on a raw connection (optionally leaving it open) and resolves with everything
 * the server sent once it closes the connection.
 */
export function rawExchange(port: number, text: string | Buffer, options: { keepOpen?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(text);
    if (!options.keepOpen) socket.end();
  });
}

export const MEDIA = (v: string): string => `application/vnd.dcos.universe.repo+json;charset=utf-8;version=${v}`;

/** The Accept header each Cosmos era sends (CompoundMediaType.show: media types joined by ","). */
export const COSMOS_ACCEPT: Record<'v3' | 'v4' | 'v5', string> = {
  v3: MEDIA('v3'),
  v4: [MEDIA('v4'), MEDIA('v3')].join(','),
  v5: [MEDIA('v5'), MEDIA('v4'), MEDIA('v3')].join(','),
};

/** Sockets listening on `port` over IPv4 and IPv6, from /proc/net/tcp{,6} (state 0A is LISTEN). */
export function listeningSockets(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'latin1').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A') count++;
    }
  }
  return count;
}

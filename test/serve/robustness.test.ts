import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../../generator/serve/index.js';
import { smallRepo, tempDir, writeFiles } from '../build/support.js';
import { rawExchange, request } from './support.js';

describe('malformed requests over raw sockets', () => {
  let running: RunningServer;
  let root: string;
  let port: number;
  const logged: string[] = [];

  before(async () => {
    root = writeFiles(tempDir('serve-raw'), smallRepo());
    // Short header and request timeouts so that slow clients are cut off quickly; the tests
    // wait for the server to close the connection, whenever that happens.
    running = await startServer({
      input: root,
      port: 0,
      limits: { headersTimeout: 300, maxHeaderSize: 8 * 1024 },
      accessLog: (line) => logged.push(line),
    });
    port = running.address.port;
  });
  after(async () => {
    await running?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** After each abuse the server still answers a normal request. */
  async function stillServing(): Promise<void> {
    const r = await request(port, '/repo-empty-v3.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), '{"packages": []}');
  }

  const statusOf = (reply: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);

  it('answers a method it does not serve with 405, a garbled request with 400', async () => {
    assert.equal(statusOf(await rawExchange(port, 'DELETE /repo HTTP/1.1\r\nHost: x\r\n\r\n')), 405);
    assert.equal(statusOf(await rawExchange(port, 'BREW /repo HTTP/1.1\r\nHost: x\r\n\r\n')), 405);
    assert.equal(statusOf(await rawExchange(port, 'GET\t/repo HTTP/1.1\r\nHost: x\r\n\r\n')), 400);
    assert.equal(statusOf(await rawExchange(port, 'GET /repo HTTP/1.1\r\n\r\n')), 400, 'HTTP/1.1 without Host');
    assert.equal(statusOf(await rawExchange(port, 'GET /repo HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n')), 400, 'two Host fields');
    assert.equal(statusOf(await rawExchange(port, 'GET /repo HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n')), 400, 'obsolete line folding');
    assert.equal(statusOf(await rawExchange(port, 'GET /repo HTTP/1.1\r\nHost : x\r\n\r\n')), 400, 'space before the colon');
    assert.equal(statusOf(await rawExchange(port, 'GET /repo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')), 400, 'a request body');
    assert.equal(statusOf(await rawExchange(port, 'GET /repo HTTP/2.0\r\nHost: x\r\n\r\n')), 505);
    assert.equal(statusOf(await rawExchange(port, 'this is not http\r\n\r\n')), 400);
    assert.equal(statusOf(await rawExchange(port, 'GET /repo HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')), 400);
    assert.equal(statusOf(await rawExchange(port, Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]))), 400);
    await stillServing();
  });

  it('answers a 405 without reading a request body, then closes', async () => {
    const reply = await rawExchange(port, 'POST /repo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc', { keepOpen: true });
    assert.equal(statusOf(reply), 405);
    assert.match(reply, /\r\nConnection: close\r\n/i);
    await stillServing();
  });

  it('answers huge headers with 431', async () => {
    const reply = await rawExchange(port, `GET /repo HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    assert.equal(statusOf(reply), 431);
    const many = Array.from({ length: 2000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    assert.equal(statusOf(await rawExchange(port, `GET /repo HTTP/1.1\r\nHost: x\r\n${many}\r\n`)), 431);
    await stillServing();
  });

  it('never leaves the build: dot segments, encoded or not, get 404; bad escapes 400', async () => {
    const targets: [string, number][] = [
      ['/../../../../etc/passwd', 404],
      ['/%2e%2e/%2e%2e/etc/passwd', 404],
      ['/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', 404],
      ['/1.10/package/../../universe.json', 404],
      ['/..%5c..%5cetc%5cpasswd', 404],
      ['/universe.json%00.txt', 404],
      ['/%zz', 400],
      ['*', 400],
    ];
    for (const [target, status] of targets) {
      const reply = await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.equal(statusOf(reply), status, target);
      assert.doesNotMatch(reply, /root:/);
    }
    await stillServing();
  });

  it('cuts off a client that sends its headers too slowly (408) or stops mid-request', async () => {
    const slowHeaders = await rawExchange(port, 'GET /repo HTTP/1.1\r\nHost: x\r\n', { keepOpen: true });
    assert.ok(slowHeaders === '' || statusOf(slowHeaders) === 408, slowHeaders);
    const partialLine = await rawExchange(port, 'GET /re', { keepOpen: true });
    assert.ok(partialLine === '' || statusOf(partialLine) === 408, partialLine);
    await stillServing();
  });

  it('cuts off a client that drips one byte at a time', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      const text = 'GET /repo HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(10_000);
      let i = 0;
      // One byte per event-loop turn until the server gives up; nothing waits on the clock.
      const drip = (): void => {
        if (socket.destroyed || i >= text.length) return;
        socket.write(text[i++] as string, () => setImmediate(drip));
      };
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('connect', drip);
      // If the whole text got through before the timeout, the headers are never finished: wait.
    });
    assert.ok(reply === '' || [408, 431].includes(statusOf(reply)), reply.slice(0, 100));
    await stillServing();
  });

  it('answers pipelined requests in order on one connection', async () => {
    const reply = await rawExchange(port, 'GET /repo-empty-v3.json HTTP/1.1\r\nHost: x\r\n\r\nHEAD /repo-empty-v3.json HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const statuses = [...reply.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [200, 200, 404]);
  });

  it('keeps a partial request whole while other connections are read (one read buffer serves them all)', async () => {
    const first = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    first.on('data', (c: Buffer) => chunks.push(c));
    const closed = new Promise<void>((resolve) => first.on('close', () => resolve()));
    await new Promise<void>((resolve) => first.on('connect', () => resolve()));
    // Longer than what the other connection sends next, so that its read covers all of it.
    await new Promise<void>((resolve) => first.write('GET /repo-empty-v3.json HTTP/1.1\r\nHo', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const other = await rawExchange(port, 'GET /nope HTTP/1.1\r\nHost: y\r\nConnection: close\r\n\r\n');
    assert.equal(statusOf(other), 404);
    first.end('st: x\r\nConnection: close\r\n\r\n');
    await closed;
    const reply = Buffer.concat(chunks).toString('latin1');
    assert.equal(statusOf(reply), 200, reply);
    assert.ok(reply.endsWith('\r\n\r\n{"packages": []}'), reply);
  });

  it('logs one line per request', async () => {
    await request(port, '/repo-empty-v3.json', { 'User-Agent': 'cosmos/0.6.0 dcos/1.11.0' });
    const line = logged.find((l) => l.includes('"GET /repo-empty-v3.json HTTP/1.1" 200 16 "cosmos/0.6.0 dcos/1.11.0"'));
    assert.ok(line, logged.join('\n'));
    assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z 127\.0\.0\.1 "GET /);
    assert.ok(logged.some((l) => /"-" 431 \d+ "-"/.test(l)), 'client errors are logged too');
  });
});

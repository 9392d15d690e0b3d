/**
 * `serve --workers`: each process's own listening socket on the shared port (the reuseport
 * addon, built by `npm ci`), seen in the kernel's socket table.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { listenReusePort, REUSE_PORT } from '../../generator/serve/reusePort.js';
import { listeningSockets } from './support.js';

/** Accepts one connection on the listening socket `fd` and answers it with `word`. */
function serveOnce(fd: number, word: string): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.end(word));
    server.listen({ fd }, () => resolve(server));
  });
}

function ask(port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    net
      .connect(port, host)
      .on('data', (d) => (text += d))
      .on('end', () => resolve(text))
      .on('error', reject);
  });
}

describe('listening sockets of their own for serve --workers', { skip: process.platform !== 'linux' ? 'not Linux' : false }, () => {
  it('are there on Linux (npm ci builds the addon)', () => {
    assert.equal(REUSE_PORT, true, 'build/Release/reuseport.node is missing: npm ci (or node native/build.mjs) builds it');
  });

  it('listen on one free port, each a socket of its own that takes connections', async () => {
    const group = await listenReusePort('localhost', 0, 3);
    assert.equal(group.fds.length, 3);
    assert.ok(group.port > 0);
    assert.equal(listeningSockets(group.port), 3);
    // Each server takes its socket over (and closes it).
    const servers = await Promise.all(group.fds.map((fd, i) => serveOnce(fd, `process ${i}`)));
    // The kernel picks a socket by the connection's addresses: every answer is one of them.
    for (let i = 0; i < 6; i++) assert.match(await ask(group.port, group.address), /^process [012]$/);
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    assert.equal(listeningSockets(group.port), 0);
  });

  it('refuse a port another program listens on, as node reports it', async () => {
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as net.AddressInfo).port;
    try {
      await assert.rejects(listenReusePort('127.0.0.1', port, 2), (e: NodeJS.ErrnoException) => {
        assert.equal(e.code, 'EADDRINUSE');
        assert.equal(e.message, `listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
        return true;
      });
      assert.equal(listeningSockets(port), 1);
    } finally {
      other.close();
    }
  });

  it('take IPv6 addresses', async (t) => {
    let group;
    try {
      group = await listenReusePort('::1', 0, 2);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') return t.skip('no IPv6 loopback here');
      throw e;
    }
    assert.equal(group.address, '::1');
    assert.equal(listeningSockets(group.port), 2);
    group.close();
    assert.equal(listeningSockets(group.port), 0);
  });
});

/**
 * Bodies sent with sendfile (the native addon, built by `npm ci`) are the bytes a copying
 * server sends: whole, in order behind pipelined requests, to a client that reads slowly
 * (so the socket fills and sending resumes many times), and alike with the addon turned off.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildUniverse, writeBuild } from '../../generator/build/index.js';
import { ZERO_COPY, ZERO_COPY_MIN_BYTES } from '../../generator/serve/zeroCopy.js';
import { smallRepo, tempDir, writeFiles } from '../build/support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'bin/ecr-universe.cjs');
const REQUEST = 'GET /universe.json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n';

/** Sends `text` and reads the reply slowly (pausing now and then) until it ends with `last`, after `bytes` at least. */
function slowExchange(port: number, text: string, bytes: number, last: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const socket = net.connect({ port, host: '127.0.0.1' }, () => socket.write(text));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes && chunk.length >= last.length && chunk.subarray(chunk.length - last.length).equals(last)) {
        socket.destroy();
        resolve(Buffer.concat(chunks));
        return;
      }
      // Read a little, then let the server's side fill up.
      if (chunks.length % 8 === 0) {
        socket.pause();
        setTimeout(() => socket.resume(), 5);
      }
    });
    socket.on('error', reject);
    setTimeout(() => reject(new Error(`only ${got} of ${bytes} bytes in time`)), 60_000).unref();
  });
}

/** The bodies of the HTTP/1.1 responses in `reply` (each with Content-Length). */
function bodies(reply: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < reply.length) {
    const end = reply.indexOf('\r\n\r\n', at);
    assert.ok(end > 0, 'a response head');
    const head = reply.toString('latin1', at, end);
    assert.match(head, /^HTTP\/1\.1 200 /);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
    out.push(reply.subarray(end + 4, end + 4 + length));
    at = end + 4 + length;
  }
  return out;
}

async function serve(dir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0', '--no-access-log'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    const read = (b: Buffer): void => {
      text += b.toString();
      const m = /127\.0\.0\.1:(\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
  });
  return { child, port };
}

describe('zero-copy bodies', () => {
  let root: string;
  let out: string;
  let expected: Buffer;

  before(async () => {
    root = tempDir('serve-zero-copy');
    // A package whose config.json makes universe.json several megabytes.
    const files = smallRepo();
    files['A/alpha/0/config.json'] = JSON.stringify({ type: 'object', description: 'x'.repeat(3_000_000), properties: {} });
    writeFiles(path.join(root, 'packages'), files);
    out = path.join(root, 'out');
    await writeBuild(await buildUniverse(path.join(root, 'packages')), out);
    expected = fs.readFileSync(path.join(out, 'universe.json'));
    assert.ok(expected.length > 3_000_000 && expected.length > ZERO_COPY_MIN_BYTES);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('are sent with sendfile on Linux (npm ci builds the addon)', { skip: process.platform !== 'linux' ? 'not Linux' : false }, () => {
    assert.equal(ZERO_COPY, true, 'build/Release/zerocopy.node is missing: npm ci (or node native/build.mjs) builds it');
  });

  for (const mode of ['sendfile', 'copied'] as const) {
    it(`reach a slow client whole and in order behind pipelined requests (${mode})`, async () => {
      const { child, port } = await serve(out, mode === 'copied' ? { ECR_UNIVERSE_NO_ZERO_COPY: '1' } : {});
      try {
        const requests = 3;
        const reply = await slowExchange(port, REQUEST.repeat(requests), requests * expected.length, expected.subarray(expected.length - 16));
        const got = bodies(reply);
        assert.equal(got.length, requests);
        for (const b of got) assert.ok(b.equals(expected), `a body of ${b.length} bytes differs from universe.json (${expected.length})`);
      } finally {
        child.kill();
      }
    });
  }
});

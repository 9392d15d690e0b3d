/**
 * Response bodies sent without copying them out of the process, when the optional native addon
 * (native/zerocopy.c, built by `npm install`) is there: each body is put once into a sealed
 * memfd, and a response goes out as its head and a sendfile(2) from that memfd, which is how
 * nginx serves static files. Sending a 55 kB gzip body that way costs the kernel about a third
 * less than writing it from memory (measured with nginx itself: `sendfile off` halves its
 * requests per second). Without the addon, bodies are written as node:net writes them.
 */
import type * as net from 'node:net';
import { loadAddon } from './addon.js';

interface Addon {
  memfdFrom(body: Buffer): number;
  sendHeadAndFile(socketFd: number, head: Buffer, fileFd: number, offset: number, length: number): number;
  closeFd(fd: number): void;
}

const addon = loadAddon<Addon>('zerocopy', 'ECR_UNIVERSE_NO_ZERO_COPY');

/** Whether bodies are sent with sendfile (the addon is built and loaded). */
export const ZERO_COPY = addon !== undefined;

/** Bodies smaller than this are written from memory: a system call more would cost more than the copy. */
export const ZERO_COPY_MIN_BYTES = 16 * 1024;

/**
 * Memfds open at most: the first bodies asked for (the repo files Cosmos polls come first) get
 * one, later ones are written from memory, so that a client asking for every file of a large
 * build cannot use up the file descriptors the server needs to accept connections.
 */
export const MAX_MEMFDS = 256;

const memfds = new WeakMap<Buffer, number>();
let open = 0;
// A body no longer served (a rebuilt site replaced the old one) lets its memfd go.
const closer = new FinalizationRegistry<number>((fd) => {
  addon?.closeFd(fd);
  open--;
});

function memfdOf(body: Buffer): number | undefined {
  let fd = memfds.get(body);
  if (fd === undefined) {
    if (open >= MAX_MEMFDS) return undefined;
    fd = (addon as Addon).memfdFrom(body);
    if (fd < 0) return undefined;
    open++;
    memfds.set(body, fd);
    closer.register(body, fd);
  }
  return fd;
}

/** What this server reads of node's socket internals (here and in http.ts). */
export interface SocketInternals {
  _handle?: { fd?: number; writeQueueSize?: number } | null;
}

/** The socket's file descriptor, when nothing waits to be written before (so bytes sent now cannot overtake earlier ones). */
function idleFd(socket: net.Socket): number | undefined {
  const handle = (socket as unknown as SocketInternals)._handle;
  const fd = handle?.fd;
  if (fd === undefined || fd < 0 || socket.writableLength > 0 || socket.writableCorked > 0 || (handle?.writeQueueSize ?? 0) > 0) return undefined;
  return fd;
}

/**
 * Sends `head` then `body` on `socket`, with sendfile when it can (the addon is loaded, the
 * body is large enough, the socket has a file descriptor and nothing waits to be written
 * before it). When the client's socket buffer fills, the next byte goes through the socket's
 * own stream, whose completion says the socket takes data again, and sendfile goes on from
 * there; so a slow client never blocks the server, and bytes never overtake each other.
 * Returns `unsent` when it sent nothing (the caller writes everything itself), `sent` when every
 * byte was handed to the kernel now, and `pending` when the rest follows: `done` is then called
 * once it is out (or with an error).
 */
export function sendZeroCopy(socket: net.Socket, head: Buffer, body: Buffer, done: (error?: Error | null) => void): 'unsent' | 'sent' | 'pending' {
  if (addon === undefined || body.length < ZERO_COPY_MIN_BYTES) return 'unsent';
  const fd = idleFd(socket);
  if (fd === undefined) return 'unsent';
  const file = memfdOf(body);
  if (file === undefined) return 'unsent';
  const total = head.length + body.length;
  /** True when everything was sent now; otherwise `done` follows. */
  const sendFrom = (offset: number, socketFd: number): boolean => {
    const headPart = offset < head.length ? head.subarray(offset) : EMPTY;
    const bodyOffset = Math.max(0, offset - head.length);
    const sent = (addon as Addon).sendHeadAndFile(socketFd, headPart, file, bodyOffset, body.length - bodyOffset);
    if (sent < 0) {
      // The client is gone: node's stream sees it too, and the connection is dropped.
      process.nextTick(done, new Error(`sendfile failed: errno ${-sent}`));
      return false;
    }
    const at = offset + sent;
    if (at >= total) return true;
    // The socket is full: one byte through the stream, and on from the next when it is written.
    const next = at < head.length ? head.subarray(at, at + 1) : body.subarray(at - head.length, at - head.length + 1);
    socket.write(next, (error) => {
      if (error) return done(error);
      const again = idleFd(socket);
      if (again === undefined) {
        // Not expected (nothing else writes meanwhile), but never interleave: the stream takes the rest.
        const rest = at + 1 < head.length ? Buffer.concat([head.subarray(at + 1), body]) : body.subarray(at + 1 - head.length);
        socket.write(rest, (e) => done(e));
        return;
      }
      if (sendFrom(at + 1, again)) done();
    });
    return false;
  };
  return sendFrom(0, fd) ? 'sent' : 'pending';
}

const EMPTY = Buffer.alloc(0);

/**
 * One listening socket per `serve --workers` process, all on one port with SO_REUSEPORT, from
 * the optional native addon (native/reuseport.c, built by `npm install`): the kernel then
 * spreads new connections over the processes, where one shared socket lets whichever process
 * wakes first take a whole burst (wrk's 32 connections split 29/3). Without the addon (no
 * compiler, not Linux, or ECR_UNIVERSE_NO_REUSE_PORT=1) the processes share one socket
 * through node:cluster instead.
 */
import * as dns from 'node:dns/promises';
import * as util from 'node:util';
import { loadAddon } from './addon.js';

interface Addon {
  listenReusePort(address: string, port: number, backlog: number): number;
  localPort(fd: number): number;
  closeSocket(fd: number): void;
}

const addon = loadAddon<Addon>('reuseport', 'ECR_UNIVERSE_NO_REUSE_PORT');

/** Whether each server process can have a socket of its own on the shared port. */
export const REUSE_PORT = addon !== undefined;

/** node's default backlog for listen(). */
const BACKLOG = 511;

/** Listening sockets on one address and port, one per server process. */
export interface ReusePortGroup {
  address: string;
  port: number;
  /** One listening socket per process: net.Server's listen({ fd }) takes one over, or close() closes them all. */
  fds: number[];
  close(): void;
}

/** An error of `listen` as node reports it: `code` is the errno name (EADDRINUSE, EACCES...). */
function listenError(result: number, address: string, port: number): NodeJS.ErrnoException {
  const code = util.getSystemErrorName(result);
  const error: NodeJS.ErrnoException = new Error(`listen ${code}: ${util.getSystemErrorMap().get(result)?.[1] ?? 'error'} ${address}:${port}`);
  error.code = code;
  error.errno = result;
  error.syscall = 'listen';
  return error;
}

/**
 * `count` listening sockets on `host` (resolved as node's listen resolves it) and `port` (0:
 * the first socket's free port for all). Throws like node's listen, with nothing left open.
 */
export async function listenReusePort(host: string, port: number, count: number): Promise<ReusePortGroup> {
  const a = addon as Addon;
  const { address } = await dns.lookup(host);
  const fds: number[] = [];
  const close = (): void => {
    for (const fd of fds) a.closeSocket(fd);
  };
  let shared = port;
  for (let i = 0; i < count; i++) {
    const fd = a.listenReusePort(address, shared, BACKLOG);
    if (fd < 0) {
      close();
      throw listenError(fd, address, shared);
    }
    fds.push(fd);
    if (shared === 0) {
      shared = a.localPort(fd);
      if (shared < 0) {
        close();
        throw listenError(shared, address, port);
      }
    }
  }
  return { address, port: shared, fds, close };
}

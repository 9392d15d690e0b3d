/**
 * The reader thread of `validate` and `build`: reads the revision directories it is given, package by
 * package in order, while the main thread checks what was read before. Listing directories
 * and opening, reading and closing some 5,000 files are about a fifth of a large run's time,
 * spent in system calls that another core can make. Each package's files travel in one
 * buffer, transferred, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readRevision, type ReadError } from './revisionFiles.js';

export interface ReaderData {
  /** The revision directories of each package. */
  packages: string[][];
  /** The files to read in each revision directory. */
  names: string[];
  /** Read only regular files (and links to them); see readRevision. */
  regularFilesOnly: boolean;
}

/** One package read: each revision as RevisionRead, with file bytes as [start, end) in `buffer`. */
export interface PackageReadMessage {
  index: number;
  buffer: ArrayBuffer;
  revisions: { dir: string; entries: string[] | ReadError; files: [string, [number, number] | ReadError][] }[];
}

const port = parentPort;
if (port !== null) {
  const { packages, names, regularFilesOnly } = workerData as ReaderData;
  let buffer = new Uint8Array(1 << 16);
  let used = 0;
  const keep = (bytes: Buffer): Uint8Array => {
    if (used + bytes.length > buffer.length) {
      const bigger = new Uint8Array(Math.max(buffer.length * 2, used + bytes.length));
      bigger.set(buffer.subarray(0, used));
      buffer = bigger;
    }
    buffer.set(bytes, used);
    used += bytes.length;
    // Where the bytes are, disguised as their view until the message is made.
    return buffer.subarray(used - bytes.length, used);
  };
  for (const [index, dirs] of packages.entries()) {
    used = 0;
    const reads = dirs.map((dir) => readRevision(dir, names, keep, regularFilesOnly));
    const message: PackageReadMessage = {
      index,
      buffer: buffer.buffer.slice(0, used),
      revisions: reads.map((r) => ({
        dir: r.dir,
        entries: r.entries,
        files: [...r.files].map(([name, v]): [string, [number, number] | ReadError] => (v instanceof Uint8Array ? [name, [v.byteOffset, v.byteOffset + v.length]] : [name, v])),
      })),
    };
    port.postMessage(message, [message.buffer]);
  }
}

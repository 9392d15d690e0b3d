/**
 * Writing files from parts, on whichever thread: write.ts on the main thread, and the build's
 * worker for its share of the files (nothing else is imported here, so the worker's bundle
 * stays small).
 */
import * as fs from 'node:fs';

/** A file to write: its path and its bytes in pieces, written one after another. */
export interface FileJob {
  path: string;
  parts: readonly Uint8Array[];
}

/** Creates (or truncates) `file` and writes `parts` into it; an error names the file (`path`). */
export function writeParts(file: string, parts: readonly Uint8Array[]): void {
  let left = 0;
  for (const p of parts) left += p.byteLength;
  try {
    const fd = fs.openSync(file, 'w', 0o644);
    try {
      let buffers = parts;
      while (left > 0) {
        const written = fs.writevSync(fd, buffers as Uint8Array[]);
        left -= written;
        if (left > 0) buffers = skipBytes(buffers, written);
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    // writev's errors (a full disk) do not say which file.
    if (e instanceof Error) (e as NodeJS.ErrnoException).path ??= file;
    throw e;
  }
}

function skipBytes(buffers: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let skip = n;
  for (const b of buffers) {
    if (skip >= b.byteLength) {
      skip -= b.byteLength;
      continue;
    }
    out.push(skip > 0 ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
}

/**
 * A share of the files written on another thread. The parts of each job are posted to that
 * thread: views of SharedArrayBuffers travel without a copy (the build keeps its texts and
 * deflate segments in such memory), anything else is copied.
 */
export interface FileWriter {
  writeFiles(dir: string, jobs: readonly FileJob[]): Promise<void>;
  /** Ends the thread; idempotent. */
  close(): void;
}

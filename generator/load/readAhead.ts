/**
 * The main thread's side of the reader thread (reader.ts): packages' reads in order, each
 * awaited when its turn comes. When the thread fails, whatever it has not delivered is read
 * here instead, so a run never depends on it.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.js';
import { readRevision, type RevisionRead } from './revisionFiles.js';
import type { PackageReadMessage, ReaderData } from './reader.js';

export class ReadAhead {
  private readonly arrived = new Map<number, RevisionRead[]>();
  private waiting: { index: number; resolve: (reads: RevisionRead[] | undefined) => void } | undefined;
  private worker: Worker | undefined;

  constructor(
    private readonly packages: readonly (readonly string[])[],
    private readonly names: readonly string[],
    private readonly regularFilesOnly = false,
  ) {
    const workerData: ReaderData = { packages: packages.map((p) => [...p]), names: [...names], regularFilesOnly };
    const worker = startWorker('load/reader', { workerData });
    this.worker = worker;
    worker.on('message', (m: PackageReadMessage) => this.receive(m));
    worker.on('error', (e) => {
      if (process.env.ECR_UNIVERSE_DEBUG) console.error('validate: the reader thread failed; the main thread reads instead:', e);
    });
    worker.on('exit', () => this.stop());
  }

  /** The reads of package `index` (every package in turn, from 0). */
  async read(index: number): Promise<RevisionRead[]> {
    const ready = this.take(index);
    if (ready !== undefined) return ready;
    if (this.worker !== undefined) {
      const reads = await new Promise<RevisionRead[] | undefined>((resolve) => (this.waiting = { index, resolve }));
      if (reads !== undefined) return reads;
    }
    return (this.packages[index] ?? []).map((dir) => readRevision(dir, this.names, undefined, this.regularFilesOnly));
  }

  private take(index: number): RevisionRead[] | undefined {
    const reads = this.arrived.get(index);
    if (reads !== undefined) this.arrived.delete(index);
    return reads;
  }

  private receive(m: PackageReadMessage): void {
    const bytes = Buffer.from(m.buffer);
    const reads: RevisionRead[] = m.revisions.map((r) => ({
      dir: r.dir,
      entries: r.entries,
      files: new Map(r.files.map(([name, v]) => [name, Array.isArray(v) ? bytes.subarray(v[0], v[1]) : v])),
    }));
    if (this.waiting?.index === m.index) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve(reads);
    } else {
      this.arrived.set(m.index, reads);
    }
  }

  /** No more reads from the thread: the one awaited (and every later one) is read on this thread. */
  private stop(): void {
    this.worker = undefined;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(undefined);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

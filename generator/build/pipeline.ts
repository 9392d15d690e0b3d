/**
 * Hands serialized revisions to work.ts, in a worker thread (the default) or on this thread,
 * and collects the results: each revision's bytes (views into the batch buffers, shared memory
 * that both threads read), CRCs, deflate segments, and the failed schema checks. The worker
 * can then stay to write a share of the output files (FileWriter).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.js';
import { Work, type BlockResult, type FailedCheck, type Span, type WorkItem, type WorkResult } from './work.js';
import type { RepoFormat } from './gen.js';
import type { FromWorker, ToWorker } from './worker.js';
import type { FileJob, FileWriter } from './writeFiles.js';

/** A package's Python json text, whole or in parts to write one after another. */
export type TextParts = string | readonly string[];

const lengthOf = (t: TextParts): number => {
  if (typeof t === 'string') return t.length;
  let n = 0;
  for (const part of t) n += part.length;
  return n;
};

export interface Submission {
  id: number;
  raw: TextParts;
  legacy?: TextParts;
  rawFormats: RepoFormat[];
  legacyFormats: RepoFormat[];
  block: number;
  blockLegacy: boolean;
  variants: WorkItem['variants'];
  config?: WorkItem['config'];
}

export interface Done {
  id: number;
  raw: Buffer;
  rawCrc: number;
  legacy?: Buffer;
  legacyCrc?: number;
}

export interface Finished {
  /** By revision id. */
  results: Done[];
  /** By block id. */
  blocks: BlockResult[];
  failed: FailedCheck[];
  /** The worker, kept to write files (when asked for, and there is a worker). */
  writer?: FileWriter;
}

export interface Pipeline {
  submit(item: Submission): void;
  /** Every result and the failed checks; after the last submit. */
  finish(): Promise<Finished>;
  cancel(): void;
}

/** Texts are packed into batch buffers of about this size. */
const BATCH = 1 << 20;

/** Packs submissions' texts into batch buffers (Latin-1: the texts are ASCII), never written again once sent. */
class Packer {
  private buffer: Buffer | undefined;
  private used = 0;
  private items: WorkItem[] = [];

  constructor(private readonly send: (buffer: Buffer, items: WorkItem[]) => void) {}

  add(s: Submission): void {
    const need = lengthOf(s.raw) + (s.legacy === undefined ? 0 : lengthOf(s.legacy));
    if (this.buffer !== undefined && this.used + need > this.buffer.length) this.flush();
    // Shared memory: the worker reads it, and may later write files from it.
    this.buffer ??= Buffer.from(new SharedArrayBuffer(Math.max(BATCH, need)));
    const buffer = this.buffer;
    const span = (text: TextParts): Span => {
      const start = this.used;
      if (typeof text === 'string') this.used += buffer.write(text, start, 'latin1');
      else for (const part of text) this.used += buffer.write(part, this.used, 'latin1');
      return [start, this.used];
    };
    const item: WorkItem = { id: s.id, raw: span(s.raw), rawFormats: s.rawFormats, legacyFormats: s.legacyFormats, block: s.block, blockLegacy: s.blockLegacy, variants: s.variants };
    if (s.legacy !== undefined) item.legacy = span(s.legacy);
    if (s.config !== undefined) item.config = s.config;
    this.items.push(item);
  }

  flush(): void {
    if (this.buffer === undefined || this.items.length === 0) return;
    this.send(this.buffer.subarray(0, this.used), this.items);
    this.buffer = undefined;
    this.used = 0;
    this.items = [];
  }
}

function done(item: WorkItem, result: WorkResult, batch: Buffer): Done {
  const out: Done = { id: item.id, raw: batch.subarray(item.raw[0], item.raw[1]), rawCrc: result.rawCrc };
  if (item.legacy !== undefined) {
    out.legacy = batch.subarray(item.legacy[0], item.legacy[1]);
    out.legacyCrc = result.legacyCrc as number;
  }
  return out;
}

export class WorkerPipeline implements Pipeline {
  private readonly worker: Worker;
  private readonly finished: Promise<FailedCheck[]>;
  private readonly results: Done[] = [];
  private readonly blocks: BlockResult[] = [];
  /** The batches in flight, in order. */
  private readonly inFlight: { batch: Buffer; items: WorkItem[] }[] = [];
  private readonly packer: Packer;
  /** Set once the worker is handed over as a FileWriter: cancel() leaves it alone. */
  private handedOver = false;

  /** `keepForWrite`: finish() keeps the worker and returns it as a FileWriter. */
  constructor(private readonly keepForWrite = false) {
    this.worker = startWorker('build/worker');
    this.packer = new Packer((batch, items) => {
      this.inFlight.push({ batch, items });
      this.worker.postMessage({ type: 'items', buffer: batch.buffer as SharedArrayBuffer, items } satisfies ToWorker);
    });
    this.finished = new Promise<FailedCheck[]>((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'results') {
          const { batch, items } = this.inFlight.shift() as { batch: Buffer; items: WorkItem[] };
          m.results.forEach((r, i) => (this.results[r.id] = done(items[i] as WorkItem, r, batch)));
          for (const b of m.blocks) this.blocks[b.block] = b;
        } else if (m.type === 'done') {
          for (const b of m.blocks) this.blocks[b.block] = b;
          stop();
          resolve(m.failed);
        } else if (m.type === 'error') {
          reject(new Error(`build worker failed: ${m.message}`));
        }
      };
      const onExit = (code: number): void => reject(new Error(`the build worker stopped (exit code ${code})`));
      const stop = (): void => {
        this.worker.off('message', onMessage);
        this.worker.off('error', reject);
        this.worker.off('exit', onExit);
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', reject);
      this.worker.once('exit', onExit);
    });
    this.finished.catch(() => undefined);
  }

  submit(s: Submission): void {
    this.packer.add(s);
  }

  async finish(): Promise<Finished> {
    this.packer.flush();
    this.worker.postMessage({ type: 'end' } satisfies ToWorker);
    let failed: FailedCheck[];
    try {
      failed = await this.finished;
    } catch (e) {
      void this.worker.terminate();
      throw e;
    }
    if (!this.keepForWrite) {
      void this.worker.terminate();
      return { results: this.results, blocks: this.blocks, failed };
    }
    this.handedOver = true;
    return { results: this.results, blocks: this.blocks, failed, writer: new WorkerWriter(this.worker) };
  }

  cancel(): void {
    if (!this.handedOver) void this.worker.terminate();
  }
}

/**
 * The build's worker as a FileWriter. Between writes it holds the process open for nothing
 * (unref), so that an output that is never written does not keep the process alive.
 */
class WorkerWriter implements FileWriter {
  private closed = false;

  constructor(private readonly worker: Worker) {
    worker.unref();
  }

  writeFiles(dir: string, jobs: readonly FileJob[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the build worker is closed'));
    const worker = this.worker;
    return new Promise<void>((resolve, reject) => {
      const settle = (error: Error | undefined): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
        if (error === undefined) resolve();
        else reject(error);
      };
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'written') settle(undefined);
        else if (m.type === 'write-failed') settle(Object.assign(new Error(m.message), { code: m.code, path: m.path }));
      };
      const onError = (e: Error): void => settle(e);
      const onExit = (code: number): void => settle(new Error(`the build worker stopped (exit code ${code})`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.once('exit', onExit);
      // Held open while it writes: the main thread waits for nothing else.
      worker.ref();
      worker.postMessage({ type: 'write', dir, jobs: [...jobs] } satisfies ToWorker);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker.terminate();
  }
}

export class LocalPipeline implements Pipeline {
  private readonly work = new Work();
  private readonly results: Done[] = [];
  private readonly packer = new Packer((buffer, items) => {
    for (const item of items) this.results[item.id] = done(item, this.work.process(item, buffer), buffer);
  });

  submit(s: Submission): void {
    this.packer.add(s);
  }

  finish(): Promise<Finished> {
    this.packer.flush();
    this.work.end();
    const blocks: BlockResult[] = [];
    for (const b of this.work.takeBlocks()) blocks[b.block] = b;
    return Promise.resolve({ results: this.results, blocks, failed: this.work.failed });
  }

  cancel(): void {}
}

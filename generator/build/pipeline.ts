/**
 * Hands serialized revisions to work.ts, in a worker thread (the default) or on this thread,
 * and collects the results: each revision's bytes (views into the batch buffers, which go to
 * the worker and come back without being copied), CRCs, deflate segments, and the failed
 * schema checks.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.js';
import { Work, type BlockResult, type FailedCheck, type Span, type WorkItem, type WorkResult } from './work.js';
import type { RepoFormat } from './gen.js';
import type { FromWorker, ToWorker } from './worker.js';

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
}

export interface Pipeline {
  submit(item: Submission): void;
  /** Every result and the failed checks; after the last submit. */
  finish(): Promise<Finished>;
  cancel(): void;
}

/** Texts are packed into batch buffers of about this size. */
const BATCH = 1 << 20;

/** Packs submissions' texts into batch buffers (Latin-1: the texts are ASCII). */
class Packer {
  private buffer: Buffer | undefined;
  private used = 0;
  private items: WorkItem[] = [];

  constructor(private readonly send: (buffer: Buffer, items: WorkItem[]) => void) {}

  add(s: Submission): void {
    const need = lengthOf(s.raw) + (s.legacy === undefined ? 0 : lengthOf(s.legacy));
    if (this.buffer !== undefined && this.used + need > this.buffer.length) this.flush();
    // An unpooled buffer of its own: it is transferred to the worker and back.
    this.buffer ??= Buffer.allocUnsafeSlow(Math.max(BATCH, need));
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
  /** Items of the batches in flight, in order. */
  private readonly inFlight: WorkItem[][] = [];
  private readonly packer: Packer;

  constructor() {
    this.worker = startWorker('build/worker');
    this.packer = new Packer((buffer, items) => {
      this.inFlight.push(items);
      // The whole ArrayBuffer goes (it holds only this batch: allocUnsafeSlow).
      const ab = buffer.buffer as ArrayBuffer;
      this.worker.postMessage({ type: 'items', buffer: ab, items } satisfies ToWorker, [ab]);
    });
    this.finished = new Promise<FailedCheck[]>((resolve, reject) => {
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'results') {
          const items = this.inFlight.shift() as WorkItem[];
          const batch = Buffer.from(m.buffer);
          m.results.forEach((r, i) => (this.results[r.id] = done(items[i] as WorkItem, r, batch)));
          for (const b of m.blocks) this.blocks[b.block] = b;
        } else if (m.type === 'done') {
          for (const b of m.blocks) this.blocks[b.block] = b;
          resolve(m.failed);
        }
        else reject(new Error(`build worker failed: ${m.message}`));
      });
      this.worker.on('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the build worker stopped (exit code ${code})`)));
    });
    this.finished.catch(() => undefined);
  }

  submit(s: Submission): void {
    this.packer.add(s);
  }

  async finish(): Promise<Finished> {
    this.packer.flush();
    this.worker.postMessage({ type: 'end' } satisfies ToWorker);
    try {
      const failed = await this.finished;
      return { results: this.results, blocks: this.blocks, failed };
    } finally {
      void this.worker.terminate();
    }
  }

  cancel(): void {
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

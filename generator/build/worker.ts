/**
 * The build's worker thread: runs work.ts on the items the main thread sends, in order, and
 * sends results back in batches; then, when the build keeps it, writes its share of the files.
 */
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { Work, type BlockResult, type FailedCheck, type WorkItem, type WorkResult } from './work.js';
import { writeParts, type FileJob } from './writeFiles.js';

/** Items with their texts in one shared buffer, which both threads read (no copies). */
export type ToWorker =
  | { type: 'items'; buffer: SharedArrayBuffer; items: WorkItem[] }
  | { type: 'end' }
  | { type: 'write'; dir: string; jobs: FileJob[] };
export type FromWorker =
  | { type: 'results'; results: WorkResult[]; blocks: BlockResult[] }
  | { type: 'done'; failed: FailedCheck[]; blocks: BlockResult[] }
  | { type: 'error'; message: string }
  | { type: 'written' }
  | { type: 'write-failed'; message: string; code: string | undefined; path: string | undefined };

const port = parentPort;
if (port !== null) {
  const work = new Work();
  let error: string | undefined;
  const fail = (e: unknown): void => {
    error ??= e instanceof Error ? e.message : String(e);
  };
  try {
    work.prepare();
  } catch (e) {
    fail(e);
  }
  port.on('message', (m: ToWorker) => {
    if (m.type === 'write') {
      try {
        for (const job of m.jobs) writeParts(path.join(m.dir, job.path), job.parts);
        port.postMessage({ type: 'written' } satisfies FromWorker);
      } catch (e) {
        const { code, path: file } = e as NodeJS.ErrnoException;
        port.postMessage({ type: 'write-failed', message: e instanceof Error ? e.message : String(e), code, path: file } satisfies FromWorker);
      }
      return;
    }
    if (m.type === 'end') {
      let blocks: BlockResult[] = [];
      try {
        work.end();
        blocks = work.takeBlocks();
      } catch (e) {
        fail(e);
      }
      port.postMessage((error === undefined ? { type: 'done', failed: work.failed, blocks } : { type: 'error', message: error }) satisfies FromWorker);
      return;
    }
    if (error !== undefined) return;
    const results: WorkResult[] = [];
    const batch = Buffer.from(m.buffer);
    try {
      for (const item of m.items) results.push(work.process(item, batch));
    } catch (e) {
      fail(e);
      return;
    }
    port.postMessage({ type: 'results', results, blocks: work.takeBlocks() } satisfies FromWorker);
  });
}

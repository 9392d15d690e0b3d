/**
 * The build's worker thread: runs work.ts on the items the main thread sends, in order, and
 * sends results back in batches.
 */
import { parentPort } from 'node:worker_threads';
import { Work, type BlockResult, type FailedCheck, type WorkItem, type WorkResult } from './work.js';

/** Items with their texts in one buffer, which travels to the worker and back without copies. */
export type ToWorker = { type: 'items'; buffer: ArrayBuffer; items: WorkItem[] } | { type: 'end' };
export type FromWorker =
  | { type: 'results'; buffer: ArrayBuffer; results: WorkResult[]; blocks: BlockResult[] }
  | { type: 'done'; failed: FailedCheck[]; blocks: BlockResult[] }
  | { type: 'error'; message: string };

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
    port.postMessage({ type: 'results', buffer: m.buffer, results, blocks: work.takeBlocks() } satisfies FromWorker, [m.buffer]);
  });
}

/**
 * Runs validation on one thread or several. The main thread walks the repository, reads every
 * file and runs the per-file checks; the content checks (config.json compiled as a schema, the
 * renders per DC/OS version, the Marathon app) are queued once per distinct content. Worker
 * threads take queued work a little at a time while the main thread reads; once it has read
 * everything, the main thread works through the queue from the other end, so all threads stay
 * busy until the queue is empty and no thread starts more than it needs.
 */
import * as os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.js';
import { checkContent, contentCacheStats, contentKey, type ContentInput } from './checks/content.js';
import { finding, type Finding } from './findings.js';
import { startRun, type StartedRun } from './start.js';
import type { ValidationSummary } from './report.js';
import { validatePackage, validatePackageWith, type ContentRunner, type PackageReport } from './runner.js';
import { summarize, type ValidateSettings } from './validate.js';
import type { ContentJob, ContentReply } from './worker.js';

export interface RunSettings extends ValidateSettings {
  /** Threads, the main one included; 1 runs everything on the main thread. Default: adaptive (see below). */
  jobs?: number | undefined;
}

/**
 * The default: one thread, until the content checks turn out to be the work. Identical
 * contents are checked once, so a repository whose revisions share their files (copies, or
 * revisions that changed only package.json) is mostly reading, which a worker does not speed
 * up (it pays its own start, ajv and schema compiles); one whose revisions all differ is
 * mostly rendering, which workers share. After `SAMPLE_REVISIONS` revisions, when at least
 * `DISTINCT_SHARE` of them needed content checks of their own and `MIN_REMAINING` are left,
 * workers start for the rest.
 */
export const SAMPLE_REVISIONS = 300;
export const DISTINCT_SHARE = 0.5;
export const MIN_REMAINING = 200;

export async function validateRepository(paths: readonly string[], settings: RunSettings = {}): Promise<ValidationSummary> {
  return validateStarted(startRun(paths, settings.jobs), settings);
}

/** The rest of a run begun with startRun (start.ts). */
export async function validateStarted(run: StartedRun, settings: RunSettings = {}): Promise<ValidationSummary> {
  const { start, found, total, readAhead } = run;
  const cores = Math.max(1, os.availableParallelism());
  let pool = settings.jobs !== undefined && settings.jobs > 1 ? new ContentPool(settings.jobs - 1) : undefined;
  const adaptive = settings.jobs === undefined && cores > 1;
  const before = contentCacheStats();
  try {
    const reports: (PackageReport | Promise<PackageReport>)[] = [];
    let done = 0;
    let lastYield = performance.now();
    for (const [i, p] of found.packages.entries()) {
      const reads = await readAhead?.read(i);
      if (pool === undefined) {
        // One thread: each package is finished (and its files let go) before the next.
        reports.push(validatePackage(p, settings, reads));
        done += p.revisions.length;
        if (adaptive && done >= SAMPLE_REVISIONS && total - done >= MIN_REMAINING && distinctShare(before, done) >= DISTINCT_SHARE) pool = new ContentPool(cores - 1);
        continue;
      }
      reports.push(validatePackageWith(p, settings, pool, reads));
      // Far ahead of the workers: help them, so the queue (and the files it holds) stays small.
      if (pool.queued > MAX_QUEUED) await pool.drain(MAX_QUEUED / 2);
      // Let the workers' answers in now and then, so they get more work while this reads.
      if (performance.now() - lastYield > 4) {
        await nextTurn();
        lastYield = performance.now();
      }
    }
    await pool?.drain();
    const summary = summarize(found.diagnostics, await Promise.all(reports), settings, performance.now() - start);
    return { ...summary, threads: pool === undefined ? 1 : pool.size + 1 };
  } finally {
    await Promise.all([pool?.close(), readAhead?.close()]);
  }
}

/** The share of the revisions checked so far whose content checks were not a cache hit. */
function distinctShare(before: { hits: number; misses: number }, revisions: number): number {
  const now = contentCacheStats();
  return (now.misses - before.misses) / Math.max(1, revisions);
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Job {
  id: number;
  key: string;
  input: ContentInput;
  resolve: (findings: Finding[]) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Job>;
}

/** Jobs a worker holds at once: enough to never wait for the main thread, few enough to share. */
const WINDOW = 2;
/** Jobs waiting before the main thread stops reading and takes some itself. */
const MAX_QUEUED = 32;

class ContentPool implements ContentRunner {
  private readonly slots: Slot[] = [];
  private readonly byKey = new Map<string, Promise<Finding[]>>();
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(workers: number) {
    this.size = workers;
    for (let i = 0; i < workers; i++) {
      const slot: Slot = { worker: startWorker('validate/worker'), inFlight: new Map() };
      slot.worker.on('message', (reply: ContentReply) => this.answer(slot, reply));
      slot.worker.on('error', (e) => {
        if (process.env.ECR_UNIVERSE_DEBUG) console.error('validate: a worker failed; the main thread takes over its work:', e);
        this.lose(slot);
      });
      slot.worker.on('exit', () => this.lose(slot));
      this.slots.push(slot);
    }
  }

  run(input: ContentInput): Promise<Finding[]> {
    const key = contentKey(input);
    let answer = this.byKey.get(key);
    if (answer === undefined) {
      answer = new Promise<Finding[]>((resolve) => this.queue.push({ id: this.nextId++, key, input, resolve }));
      this.byKey.set(key, answer);
      this.pump();
    }
    return answer;
  }

  /** Workers started. */
  readonly size: number;

  get queued(): number {
    return this.queue.length;
  }

  /**
   * Works through the queue on this thread (from its end) until at most `leave` jobs wait,
   * or, by default, until every job is answered.
   */
  async drain(leave?: number): Promise<void> {
    let lastYield = performance.now();
    while (leave === undefined ? this.queue.length > 0 || this.slots.some((s) => s.inFlight.size > 0) : this.queue.length > leave) {
      const job = this.queue.pop();
      if (job === undefined) {
        // Nothing left to take: wait for a worker's answer (or its end), not in a busy loop.
        await new Promise<void>((resolve) => this.onChange.push(resolve));
        continue;
      }
      job.resolve(inThread(job.input, job.key));
      if (performance.now() - lastYield > 4) {
        await nextTurn();
        lastYield = performance.now();
      }
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (slot.inFlight.size < WINDOW && this.queue.length > 0) {
        const job = this.queue.shift() as Job;
        slot.inFlight.set(job.id, job);
        const message: ContentJob = {
          id: job.id,
          key: job.key,
          config: job.input.config?.text,
          resource: job.input.resource?.text,
          template: job.input.template?.text,
          packagingVersion: job.input.packagingVersion,
          dcosVersions: [...job.input.dcosVersions],
          package: job.input.package,
        };
        slot.worker.postMessage(message);
      }
    }
  }

  /** Called, then forgotten, when a worker answers or stops (see drain). */
  private onChange: (() => void)[] = [];

  private changed(): void {
    const waiting = this.onChange;
    this.onChange = [];
    for (const resolve of waiting) resolve();
  }

  private answer(slot: Slot, reply: ContentReply): void {
    const job = slot.inFlight.get(reply.id);
    if (job === undefined) return;
    slot.inFlight.delete(reply.id);
    job.resolve('error' in reply ? [crashFinding(reply.error)] : reply.findings);
    this.pump();
    this.changed();
  }

  /** A worker stopped: its jobs go back to the queue, and it gets no more. */
  private lose(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (this.closed) return;
    for (const job of slot.inFlight.values()) this.queue.push(job);
    slot.inFlight.clear();
    this.pump();
    this.changed();
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.map((s) => s.worker);
    this.slots.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function inThread(input: ContentInput, key: string): Finding[] {
  try {
    return checkContent(input, key);
  } catch (e) {
    return [crashFinding(e instanceof Error ? e.message : String(e))];
  }
}

function crashFinding(message: string): Finding {
  return finding('validator-crash', '', `the validator failed on this revision (please report it): ${message}`);
}

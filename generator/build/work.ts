/**
 * The part of the build that runs beside reading and serializing (in a worker thread, see
 * pipeline.ts): for each revision's Python json text, its bytes and CRC-32, the schema check
 * of each repo format it meets, and the deflate segments the gzip copies need (each segment
 * deflated once, with the previous revision of the same package as preset dictionary when
 * that is what precedes it).
 */
import * as zlib from 'node:zlib';
import type { RepoFormat } from './gen.js';
import { deflateSegmentSync, SEPARATOR_BYTES, windowOf } from './gzip.js';
import { PackageChecker } from './validate.js';

export type Form = 'raw' | 'legacy';

export interface SegmentRequest {
  form: Form;
  /** Deflate against the bytes of this (previous) revision's form plus the separator. */
  after?: { id: number; form: Form };
}

/** Where a text sits in its batch buffer: [start, end). */
export type Span = [number, number];

export interface WorkItem {
  id: number;
  /** The package as universe.json and the repo files for DC/OS >= 1.10 hold it. */
  raw: Span;
  /** As the files for DC/OS < 1.10 hold it, when different. */
  legacy?: Span;
  rawFormats: RepoFormat[];
  legacyFormats: RepoFormat[];
  segments: SegmentRequest[];
}

export interface WorkSegment extends SegmentRequest {
  data: Uint8Array;
}

export interface WorkResult {
  id: number;
  rawCrc: number;
  legacyCrc?: number;
  segments: WorkSegment[];
}

export interface FailedCheck {
  id: number;
  /** The format whose schema refused the package; 'json' when the text is not JSON (NaN, Infinity). */
  format: RepoFormat | 'json';
  form: Form;
}

/** Processes items in id order; keeps only what the next item may refer to. */
export class Work {
  private readonly checker = new PackageChecker();
  readonly failed: FailedCheck[] = [];
  private last: { id: number; raw: Buffer; legacy: Buffer } | undefined;

  /** Loads ajv and compiles the schemas now (a worker does it while the build reads packages). */
  prepare(): void {
    this.checker.prepare();
  }

  /** Processes an item whose texts are in `batch` (Latin-1, which is ASCII here). */
  process(item: WorkItem, batch: Buffer): WorkResult {
    const raw = batch.subarray(item.raw[0], item.raw[1]);
    const legacy = item.legacy === undefined ? raw : batch.subarray(item.legacy[0], item.legacy[1]);
    this.check(item.id, 'raw', raw, item.rawFormats);
    if (item.legacy !== undefined) this.check(item.id, 'legacy', legacy, item.legacyFormats);
    const bytes = (form: Form): Buffer => (form === 'raw' ? raw : legacy);
    const segments: WorkSegment[] = [];
    for (const req of item.segments) {
      let dictionary: Buffer | undefined;
      if (req.after !== undefined) {
        const prev = this.last;
        if (prev === undefined || prev.id !== req.after.id) throw new Error(`segment of ${item.id} refers to ${req.after.id}, which is not the previous item`);
        dictionary = windowOf(req.after.form === 'raw' ? prev.raw : prev.legacy, SEPARATOR_BYTES);
      }
      segments.push({ ...req, data: deflateSegmentSync(bytes(req.form), dictionary) });
    }
    this.last = { id: item.id, raw, legacy };
    const result: WorkResult = { id: item.id, rawCrc: zlib.crc32(raw), segments };
    if (item.legacy !== undefined) result.legacyCrc = zlib.crc32(legacy);
    return result;
  }

  /** Keeps what the next item may need when the batch buffer goes back to the main thread. */
  release(): void {
    const last = this.last;
    if (last === undefined) return;
    const raw = Buffer.from(last.raw);
    this.last = { id: last.id, raw, legacy: last.legacy === last.raw ? raw : Buffer.from(last.legacy) };
  }

  private check(id: number, form: Form, bytes: Buffer, formats: RepoFormat[]): void {
    if (formats.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('latin1'));
    } catch {
      this.failed.push({ id, format: 'json', form });
      return;
    }
    for (const format of this.checker.refusing(formats, value)) this.failed.push({ id, format, form });
  }
}

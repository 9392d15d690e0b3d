/**
 * The part of the build that runs beside reading and serializing (in a worker thread, see
 * pipeline.ts): for each revision's Python json text, its bytes and CRC-32, the schema check
 * of each repo format it meets, and the deflate segments the gzip copies are made of: one per
 * block of consecutive revisions of a package that are in the same files, deflated once.
 */
import * as zlib from 'node:zlib';
import { TextMap } from '../cache.js';
import type { RepoFormat } from './gen.js';
import { deflateSegmentSync, SEPARATOR_BYTES, windowOf } from './gzip.js';
import { PackageChecker } from './validate.js';

export type Form = 'raw' | 'legacy';

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
  /**
   * Where config.json's text sits in each form (offsets from the form's start, the same length
   * in both): revisions share it more often than anything else, so the check parses it once
   * per distinct text (absent: the form is parsed whole).
   */
  config?: { raw: number; legacy?: number; length: number };
  /**
   * The gzip block of the revision (-1: no gzip): consecutive revisions of one package that are
   * in the same files, so that every file holds a block whole or not at all.
   */
  block: number;
  /** The block is in files that hold the legacy form (DC/OS < 1.10). */
  blockLegacy: boolean;
  /**
   * Which segments of the block the files need: `fresh` where the block comes first for its
   * package, `chained` (deflated after the previous block of the package, whose bytes then
   * precede it) where that block is there too; per form.
   */
  variants: { raw: Variants; legacy: Variants };
}

export interface Variants {
  fresh: boolean;
  chained: boolean;
}

export interface WorkResult {
  id: number;
  rawCrc: number;
  legacyCrc?: number;
}

/** A block's bytes (revisions joined by ", "): CRC-32, length, and the segments asked for. */
export interface BlockSegment {
  crc: number;
  length: number;
  fresh?: Uint8Array;
  chained?: Uint8Array;
}

export interface BlockResult {
  block: number;
  raw: BlockSegment;
  /**
   * Absent when the legacy form's segments are the raw ones (or it is not needed). With
   * `sameBytes`, the bytes are the raw ones and only the chained segment differs (the
   * previous block's legacy form is not its raw form).
   */
  legacy?: BlockSegment & { sameBytes: boolean };
}

export interface FailedCheck {
  id: number;
  /** The format whose schema refused the package; 'json' when the text is not JSON (NaN, Infinity). */
  format: RepoFormat | 'json';
  form: Form;
}

interface OpenBlock {
  block: number;
  legacyNeeded: boolean;
  distinctLegacy: boolean;
  variants: { raw: Variants; legacy: Variants };
  raws: Buffer[];
  legacies: Buffer[];
}

/** Processes items in id order; a block is deflated once its last revision has arrived. */
export class Work {
  private readonly checker = new PackageChecker();
  readonly failed: FailedCheck[] = [];
  private open: OpenBlock | undefined;
  private finished: BlockResult[] = [];
  /** The last 32 KiB of the previous block and a separator, per form: a chained segment's dictionary. */
  private previousTail: { raw: Buffer; legacy: Buffer } | undefined;

  /** config.json's parsed value by text (see parsePackage). */
  private readonly configs = new TextMap<unknown>(1024);

  /** Loads ajv and compiles the schemas now (a worker does it while the build reads packages). */
  prepare(): void {
    this.checker.prepare();
  }

  /** Processes an item whose texts are in `batch` (Latin-1, which is ASCII here). */
  process(item: WorkItem, batch: Buffer): WorkResult {
    const raw = batch.subarray(item.raw[0], item.raw[1]);
    const legacy = item.legacy === undefined ? raw : batch.subarray(item.legacy[0], item.legacy[1]);
    const config = item.config;
    this.check(item.id, 'raw', raw, item.rawFormats, config === undefined ? undefined : [config.raw, config.raw + config.length]);
    if (item.legacy !== undefined) {
      const at = config?.legacy;
      this.check(item.id, 'legacy', legacy, item.legacyFormats, config === undefined || at === undefined ? undefined : [at, at + config.length]);
    }
    if (item.block >= 0) {
      if (this.open !== undefined && this.open.block !== item.block) this.closeBlock();
      this.open ??= { block: item.block, legacyNeeded: item.blockLegacy, distinctLegacy: false, variants: item.variants, raws: [], legacies: [] };
      // Views, not copies: batches are shared memory that the main thread never writes again.
      this.open.raws.push(raw);
      this.open.legacies.push(legacy);
      if (item.legacy !== undefined) this.open.distinctLegacy = true;
    }
    const result: WorkResult = { id: item.id, rawCrc: zlib.crc32(raw) };
    if (item.legacy !== undefined) result.legacyCrc = zlib.crc32(legacy);
    return result;
  }

  /** Blocks completed since the last call. */
  takeBlocks(): BlockResult[] {
    const out = this.finished;
    this.finished = [];
    return out;
  }

  /** After the last item: completes the last block. */
  end(): void {
    if (this.open !== undefined) this.closeBlock();
  }

  private closeBlock(): void {
    const b = this.open as OpenBlock;
    this.open = undefined;
    const raw = joinBlock(b.raws);
    const legacy = b.distinctLegacy ? joinBlock(b.legacies) : raw;
    const tail = this.previousTail;
    const v = b.variants;
    // The legacy form's segments are the raw ones where both the bytes and the dictionary are the same.
    const freshShared = b.legacyNeeded && !b.distinctLegacy;
    const chainedShared = freshShared && (tail === undefined || tail.legacy === tail.raw);
    const rawVariants = { fresh: v.raw.fresh || (freshShared && v.legacy.fresh), chained: v.raw.chained || (chainedShared && v.legacy.chained) };
    const result: BlockResult = { block: b.block, raw: deflateBlock(raw, rawVariants, tail?.raw) };
    if (b.legacyNeeded && !(freshShared && chainedShared)) {
      const legacyVariants = { fresh: v.legacy.fresh && !freshShared, chained: v.legacy.chained && !chainedShared };
      result.legacy = { ...deflateBlock(legacy, legacyVariants, tail?.legacy), sameBytes: !b.distinctLegacy };
    }
    this.finished.push(result);
    const rawTail = windowOf(raw, SEPARATOR_BYTES);
    this.previousTail = { raw: rawTail, legacy: legacy === raw ? rawTail : windowOf(legacy, SEPARATOR_BYTES) };
  }

  private check(id: number, form: Form, bytes: Buffer, formats: RepoFormat[], config: Span | undefined): void {
    if (formats.length === 0) return;
    let value: unknown;
    try {
      value = parsePackage(bytes.toString('latin1'), config, this.configs);
    } catch {
      this.failed.push({ id, format: 'json', form });
      return;
    }
    for (const format of this.checker.refusing(formats, value)) this.failed.push({ id, format, form });
  }
}

/**
 * A package's text as JSON, its config member parsed once per distinct text: the text with
 * that value replaced by `null` is JSON exactly when the whole is, and parses to the same
 * object but for that member, which then takes the value parsed before. The validators do
 * not change what they check, so packages can share it.
 */
export function parsePackage(text: string, config: Span | undefined, configs: TextMap<unknown>): unknown {
  if (config === undefined) return JSON.parse(text);
  const [start, end] = config;
  const configText = text.slice(start, end);
  let value = configs.get(configText);
  if (value === undefined) configs.set(configText, (value = JSON.parse(configText) as unknown));
  const pkg = JSON.parse(`${text.slice(0, start)}null${text.slice(end)}`) as { config: unknown };
  pkg.config = value;
  return pkg;
}

function joinBlock(revisions: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  revisions.forEach((r, i) => {
    if (i > 0) parts.push(SEPARATOR_BYTES);
    parts.push(r);
  });
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** Bytes of SharedArrayBuffer memory handed out in slices, so that many small buffers share one. */
class SharedBytes {
  private buffer: Buffer | undefined;
  private used = 0;

  constructor(private readonly chunk = 1 << 20) {}

  /** A copy of `bytes` in shared memory. */
  copy(bytes: Uint8Array): Buffer {
    const n = bytes.byteLength;
    if (n > this.chunk / 4) {
      const own = Buffer.from(new SharedArrayBuffer(n));
      own.set(bytes);
      return own;
    }
    if (this.buffer === undefined || this.used + n > this.buffer.length) {
      this.buffer = Buffer.from(new SharedArrayBuffer(this.chunk));
      this.used = 0;
    }
    const out = this.buffer.subarray(this.used, this.used + n);
    out.set(bytes);
    this.used += n;
    return out;
  }
}

/**
 * Segments live in shared memory: they reach the main thread without a copy, and the worker
 * can write them again when it writes its share of the files (writeFiles.ts).
 */
const segments = new SharedBytes();

function deflateBlock(bytes: Buffer, variants: Variants, dictionary: Buffer | undefined): BlockSegment {
  const out: BlockSegment = { crc: zlib.crc32(bytes), length: bytes.length };
  if (variants.fresh) out.fresh = segments.copy(deflateSegmentSync(bytes));
  if (variants.chained) {
    if (dictionary === undefined) throw new Error('a chained segment without a previous block');
    out.chained = segments.copy(deflateSegmentSync(bytes, dictionary));
  }
  return out;
}

/**
 * Gzip files assembled from pieces compressed once. Every package of the build appears in many
 * files (universe.json, up to seven repo files, seven per-package files); compressing each file
 * whole would deflate the same bytes fifteen times. Instead each piece is deflated once into a
 * raw deflate segment that ends with a sync flush (byte-aligned, not final), segments are
 * concatenated, and a final empty block, the combined CRC-32 and the length close the member.
 * A segment may be deflated with a preset dictionary holding the bytes that precede it in the
 * files where it is used that way (the previous revision of the same package), which keeps the
 * ratio close to whole-file gzip.
 */
import * as zlib from 'node:zlib';

/** Uncompressed bytes with their CRC-32, computed once. */
export interface Piece {
  bytes: Buffer;
  crc: number;
}

export function piece(bytes: Buffer): Piece {
  return { bytes, crc: zlib.crc32(bytes) };
}

/** Bytes known by their length and CRC-32, and the deflate segment that encodes them. */
export interface PlacedPiece {
  piece: { length: number; crc: number };
  segment: Buffer;
}

/** zlib's default: 13 % less deflate time than level 9 on the sample x13, for 0.6 % more bytes. */
export const GZIP_LEVEL = 6;
/** What separates two packages in every file of the build (Python json's item separator). */
export const SEPARATOR_BYTES = Buffer.from(', ', 'latin1');
const WINDOW = 32 * 1024;

/** 10-byte gzip header: deflate, no flags, mtime 0, no extra flags, OS unix. No file name. */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
/** A final, empty fixed-Huffman block, after a byte-aligned sync flush. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** Deflates with a sync flush; `dictionary` is what the decoder has just written before this segment. */
export function deflateSegmentSync(bytes: Buffer, dictionary?: Buffer): Buffer {
  return zlib.deflateRawSync(bytes, segmentOptions(dictionary));
}

function segmentOptions(dictionary: Buffer | undefined): zlib.ZlibOptions {
  const options: zlib.ZlibOptions = { level: GZIP_LEVEL, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (dictionary !== undefined && dictionary.length > 0) {
    options.dictionary = dictionary.length > WINDOW ? dictionary.subarray(dictionary.length - WINDOW) : dictionary;
  }
  return options;
}

/** The last (up to) 32 KiB of a sequence of buffers: the window a decoder holds after writing them. */
export function windowOf(...buffers: Buffer[]): Buffer {
  let total = 0;
  for (const b of buffers) total += b.length;
  const all = buffers.length === 1 ? (buffers[0] as Buffer) : Buffer.concat(buffers, total);
  return all.length > WINDOW ? all.subarray(all.length - WINDOW) : all;
}

/** The gzip member for the pieces in order, as buffers to write one after another, and its size. */
export function assembleGzip(parts: readonly PlacedPiece[]): { buffers: Buffer[]; size: number } {
  let crc = 0;
  let length = 0;
  const buffers: Buffer[] = [HEADER];
  let size = HEADER.length;
  for (const p of parts) {
    crc = crc32Combine(crc, p.piece.crc, p.piece.length);
    length += p.piece.length;
    buffers.push(p.segment);
    size += p.segment.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 0x100000000, 4);
  buffers.push(FINAL_BLOCK, trailer);
  size += FINAL_BLOCK.length + trailer.length;
  return { buffers, size };
}

// CRC-32 combination (zlib's crc32_combine: multiply by x^(8*len2) modulo the polynomial).
const POLY = 0xedb88320;

/** a(x) * b(x) modulo p(x), bit-reflected as in zlib. */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** X2N[k] = x^(2^k) mod p(x). */
const X2N: number[] = (() => {
  const t = new Array<number>(32);
  let p = 0x40000000; // x^1
  t[0] = p;
  for (let k = 1; k < 32; k++) t[k] = p = multModP(p, p);
  return t;
})();

/** x^(n * 2^k) mod p(x). */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000; // x^0
  while (n > 0) {
    if (n % 2 === 1) p = multModP(X2N[k & 31] as number, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** CRC-32 of A followed by B, from CRC(A), CRC(B) and the length of B. */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 === 0) return crc1 >>> 0;
  return (multModP(x2nModP(len2, 3), crc1 >>> 0) ^ crc2) >>> 0;
}

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { assembleGzip, crc32Combine, deflateSegmentSync, piece, windowOf } from '../../generator/build/gzip.js';

describe('gzip from shared deflate segments', () => {
  it('combines CRC-32s as zlib does', () => {
    const a = Buffer.from('hello, ');
    const b = Buffer.from('world'.repeat(1000));
    assert.equal(crc32Combine(zlib.crc32(a), zlib.crc32(b), b.length), zlib.crc32(Buffer.concat([a, b])));
    assert.equal(crc32Combine(zlib.crc32(a), zlib.crc32(''), 0), zlib.crc32(a));
    assert.equal(crc32Combine(0, zlib.crc32(b), b.length), zlib.crc32(b));
  });

  it('assembles a member that gunzip reads back, with or without preset dictionaries', () => {
    const texts = ['{"packages": [', '{"name": "a", "x": 1}', ', ', '{"name": "a", "x": 2}', ', ', '{"name": "b"}', ']}'].map((t) => Buffer.from(t));
    const pieces = texts.map(piece);
    const placed = pieces.map((p, i) => ({
      piece: { length: p.bytes.length, crc: p.crc },
      // The second "a" is deflated against the bytes just before it (previous element and separator).
      segment: i === 3 ? deflateSegmentSync(p.bytes, windowOf(texts[1] as Buffer, texts[2] as Buffer)) : deflateSegmentSync(p.bytes),
    }));
    const gz = assembleGzip(placed);
    const bytes = Buffer.concat(gz.buffers);
    assert.equal(bytes.length, gz.size);
    assert.deepEqual(zlib.gunzipSync(bytes), Buffer.concat(texts));
    // Fixed header: no file name, mtime 0.
    assert.deepEqual([...bytes.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  });

  it('reads back a long member (more than the 32 KiB window)', () => {
    const parts = Array.from({ length: 50 }, (_, i) => Buffer.from(`{"i": ${i}, "pad": "${'x'.repeat(2000 + i)}"}`));
    const placed = parts.map((p, i) => ({ piece: { length: p.length, crc: piece(p).crc }, segment: deflateSegmentSync(p, i > 0 ? windowOf(...parts.slice(0, i)) : undefined) }));
    assert.deepEqual(zlib.gunzipSync(Buffer.concat(assembleGzip(placed).buffers)), Buffer.concat(parts));
  });
});

/**
 * Print order of the Scala maps behind the `java.util.Map` views that Cosmos gives mustache.java
 * (Map.toString writes entries in iteration order, so this order is visible in the output).
 */

/** Java's String.hashCode. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** scala.collection.immutable.HashMap.improve (Scala 2.11/2.12). */
function improveImmutable(hcode: number): number {
  let h = (hcode + ~(hcode << 9)) | 0;
  h ^= h >>> 14;
  h = (h + (h << 4)) | 0;
  return h ^ (h >>> 10);
}

/**
 * Iteration order of scala.collection.immutable.HashMap (a hash trie of 5-bit levels, lowest
 * bits first); equal hashes keep insertion order, as the collision node's ListMap does.
 */
export function scalaHashTrieOrder(keys: readonly string[]): string[] {
  const hashed = keys.map((k) => ({ k, h: improveImmutable(javaStringHash(k)) }));
  hashed.sort((a, b) => {
    for (let shift = 0; shift < 32; shift += 5) {
      const x = (a.h >>> shift) & 31;
      const y = (b.h >>> shift) & 31;
      if (x !== y) return x - y;
    }
    return 0;
  });
  return hashed.map((e) => e.k);
}

function reverseBytes(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/** scala.util.hashing.byteswap32 */
function byteswap32(v: number): number {
  const m = 0x9e3775cd | 0;
  return Math.imul(reverseBytes(Math.imul(v, m)), m);
}

/**
 * Iteration order of a small scala.collection.mutable.HashMap (16 buckets, seed 4), which is
 * how circe 0.5/0.6 (DC/OS 1.9 and 1.10) ordered objects of up to four keys: buckets from the
 * last to the first, newest entry first inside a bucket.
 */
export function scalaMutableHashMapOrder(keys: readonly string[]): string[] {
  const tableSize = 16;
  const seed = 4; // Integer.bitCount(tableSize - 1)
  const shift = Math.clz32(tableSize - 1);
  const buckets: string[][] = Array.from({ length: tableSize }, () => []);
  for (const k of keys) {
    const i = byteswap32(javaStringHash(k));
    const rotated = (i >>> seed) | (i << (32 - seed));
    (buckets[(rotated >>> shift) & (tableSize - 1)] as string[]).unshift(k);
  }
  const out: string[] = [];
  for (let b = tableSize - 1; b >= 0; b--) out.push(...(buckets[b] as string[]));
  return out;
}

/** Scala's immutable Map keeps insertion order up to four entries (Map1..Map4). */
export function scalaMapPrintOrder(keys: readonly string[], smallMapsInHashOrder: boolean): string[] {
  if (keys.length <= 4) return smallMapsInHashOrder ? scalaMutableHashMapOrder(keys) : [...keys];
  return scalaHashTrieOrder(keys);
}

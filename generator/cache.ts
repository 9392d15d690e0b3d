/**
 * Bounded maps for results computed from file contents (validate's checks, build's
 * serialization). Copies of one revision under other
 * names (or revisions that did not change a file) hit them; a repository of all-distinct
 * files only pays the lookups, and the bounds keep the memory flat.
 */
export class ContentCache<V> {
  private readonly entries = new Map<string, V>();
  hits = 0;
  misses = 0;

  constructor(private readonly limit = 512) {}

  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined || this.entries.has(key)) {
      this.hits++;
      return hit as V;
    }
    this.misses++;
    const value = compute();
    if (this.entries.size >= this.limit) {
      // Oldest first: Map iterates in insertion order.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Texts to values. A Map keyed by whole texts hashes every new text in full; here a text is
 * found by a short fingerprint (length, head, tail and a few samples) and then compared whole,
 * which stops at the first difference. Bounded: the oldest texts are forgotten first.
 */
export class TextMap<V> {
  private readonly buckets = new Map<string, { text: string; value: V }[]>();
  private count = 0;

  constructor(private readonly limit: number) {}

  get(text: string): V | undefined {
    const bucket = this.buckets.get(fingerprint(text));
    if (bucket !== undefined) for (const e of bucket) if (e.text === text) return e.value;
    return undefined;
  }

  set(text: string, value: V): void {
    const key = fingerprint(text);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      while (this.count >= this.limit && this.buckets.size > 0) {
        const oldest = this.buckets.entries().next().value as [string, { text: string; value: V }[]];
        this.buckets.delete(oldest[0]);
        this.count -= oldest[1].length;
      }
      bucket = [];
      this.buckets.set(key, bucket);
    }
    bucket.push({ text, value });
    this.count++;
  }
}

function fingerprint(t: string): string {
  const n = t.length;
  if (n <= 96) return t;
  let s = `${n}:${t.slice(0, 24)}${t.slice(n - 24)}`;
  for (let i = 1; i < 16; i++) s += t.charAt(Math.floor((n * i) / 16));
  return s;
}

const ids = new TextMap<number>(2048);
let nextId = 1;

/**
 * A small number for a text: equal texts get equal numbers (while remembered), so keys made
 * of several files are short. A text forgotten (beyond the bound) gets a new number: a cache
 * miss, never a wrong hit.
 */
export function textId(text: string): number {
  let id = ids.get(text);
  if (id === undefined) {
    id = nextId++;
    ids.set(text, id);
  }
  return id;
}

/**
 * Bounded maps for results computed from file contents. Copies of one revision under other
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

const ids = new Map<string, number>();
let nextId = 1;
const MAX_IDS = 8192;

/**
 * A small number for a text: equal texts get equal numbers (while remembered), so keys made
 * of several files are short and each text is hashed once. A text forgotten (beyond the
 * bound) gets a new number: a cache miss, never a wrong hit.
 */
export function textId(text: string): number {
  let id = ids.get(text);
  if (id === undefined) {
    if (ids.size >= MAX_IDS) {
      const oldest = ids.keys().next();
      if (!oldest.done) ids.delete(oldest.value);
    }
    id = nextId++;
    ids.set(text, id);
  } else if (id < nextId - MAX_IDS / 2) {
    // Still in use: move it to the young end, so the bound forgets texts nobody reads.
    ids.delete(text);
    ids.set(text, id);
  }
  return id;
}

/**
 * A bounded map for results computed from file contents. Copies of one revision under other
 * names (or revisions that did not change a file) hit it; a repository of all-distinct files
 * only pays the lookups, and the bound keeps its memory flat.
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

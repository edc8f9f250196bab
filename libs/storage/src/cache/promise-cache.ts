/**
 * A small least-recently-used cache of values loaded asynchronously. Callers asking for a key while
 * it loads share the one load; a load that fails or finds nothing (null) is not kept, so the next
 * call tries again.
 */
export class PromiseCache<K, V> {
  private readonly entries = new Map<K, Promise<V | null>>();

  constructor(
    private readonly capacity: number,
    private readonly load: (key: K) => Promise<V | null>,
  ) {
    if (!(capacity >= 1)) throw new Error(`cache capacity must be at least 1, not ${capacity}`);
  }

  get(key: K): Promise<V | null> {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const loading = this.load(key);
    this.entries.set(key, loading);
    this.evict();
    const forget = () => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    };
    loading.then((value) => value === null && forget(), forget);
    return loading;
  }

  /** Puts a value in as the most recently used. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, Promise.resolve(value));
    this.evict();
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  private evict(): void {
    while (this.entries.size > this.capacity)
      this.entries.delete(this.entries.keys().next().value as K);
  }

  get size(): number {
    return this.entries.size;
  }
}

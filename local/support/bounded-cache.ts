/**
 * A map that forgets its oldest entry once it holds `capacity`: caches keyed by text a client
 * or a resolver controls (documents, patterns, zones), which must not grow without bound.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new Error(`a cache needs room for at least one entry, not ${capacity}`);
    this.#capacity = capacity;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** The cached value, or `make(key)` stored first; a throwing `make` stores nothing. */
  getOrCreate(key: K, make: (key: K) => V): V {
    if (this.#entries.has(key)) return this.#entries.get(key)!;
    const value = make(key);
    this.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
  }

  get size(): number {
    return this.#entries.size;
  }
}

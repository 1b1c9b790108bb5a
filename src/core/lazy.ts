/**
 * A read-only map built on first use: an architecture's tables cost their building time only in
 * processes that assemble for that architecture (importing the library stays cheap).
 */
export class LazyMap<K, V> implements ReadonlyMap<K, V> {
  #map: ReadonlyMap<K, V> | undefined;
  #build: (() => ReadonlyMap<K, V>) | undefined;
  constructor(build: () => ReadonlyMap<K, V>) {
    this.#build = build;
  }
  /** The built map. */
  get map(): ReadonlyMap<K, V> {
    if (this.#map === undefined) {
      this.#map = this.#build!();
      this.#build = undefined;
    }
    return this.#map;
  }
  get(key: K): V | undefined { return this.map.get(key); }
  has(key: K): boolean { return this.map.has(key); }
  get size(): number { return this.map.size; }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.map.forEach((v, k) => fn.call(thisArg, v, k, this));
  }
  entries(): MapIterator<[K, V]> { return this.map.entries(); }
  keys(): MapIterator<K> { return this.map.keys(); }
  values(): MapIterator<V> { return this.map.values(); }
  [Symbol.iterator](): MapIterator<[K, V]> { return this.map[Symbol.iterator](); }
}

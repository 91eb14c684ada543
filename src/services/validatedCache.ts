/**
 * A small in-process cache of computed data whose validity is decided elsewhere (by a key read from the
 * database on every request): one entry per slot (e.g. county and date), holding the key it was computed
 * under. A get with another key recomputes and replaces the entry. Bounded: the least recently used slot is
 * dropped past `max` entries (a Map keeps insertion order; a hit moves its slot to the end).
 *
 * Concurrent misses for the same slot and key share one computation. Values are frozen deeply, so a caller
 * that tried to change shared data would fail loudly instead of corrupting the next reader's page.
 */
export class ValidatedCache<V> {
  private readonly entries = new Map<string, { key: string; value: V }>();
  private readonly pending = new Map<string, Promise<V>>();
  hits = 0;
  misses = 0;

  constructor(private readonly max: number) {}

  async get(slot: string, key: string, compute: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(slot);
    if (entry && entry.key === key) {
      this.entries.delete(slot);
      this.entries.set(slot, entry);
      this.hits++;
      return entry.value;
    }
    const id = `${slot}\u0000${key}`;
    const running = this.pending.get(id);
    if (running) return running;
    this.misses++;
    const promise = compute()
      .then((value) => {
        deepFreeze(value);
        this.entries.delete(slot);
        this.entries.set(slot, { key, value });
        while (this.entries.size > this.max) {
          const oldest = this.entries.keys().next().value;
          if (oldest === undefined) break;
          this.entries.delete(oldest);
        }
        return value;
      })
      .finally(() => this.pending.delete(id));
    this.pending.set(id, promise);
    return promise;
  }

  /** The value of the slot if it was computed under `key` (counted as a hit), else undefined; never computes. */
  peek(slot: string, key: string): V | undefined {
    const entry = this.entries.get(slot);
    if (!entry || entry.key !== key) return undefined;
    this.entries.delete(slot);
    this.entries.set(slot, entry);
    this.hits++;
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      deepFreeze(k);
      deepFreeze(v);
    }
    return;
  }
  for (const v of Object.values(value)) deepFreeze(v);
}

import { describeError } from '../messages.js';
import { LOADING, type Resource } from './resource.js';

/** Names one request, e.g. `['patient', id]`. Equal keys must always mean the same request. */
export type QueryKey = readonly string[];

/** A request the UI makes from several pages: its key and how to load it (see ./queries.ts). */
export interface Query<T> {
  readonly key: QueryKey;
  readonly load: () => Promise<T>;
}

interface Entry {
  readonly key: QueryKey;
  readonly resource: Resource<unknown>;
  /** The loader that filled this entry, for invalidate() to load it again. */
  readonly load: () => Promise<unknown>;
  /** Which load this entry waits for: only the latest load's answer is kept. */
  readonly generation: number;
  readonly pending: Promise<void> | undefined;
}

/**
 * Answers to requests, by key, for one signed-in session. An answer is kept until it is
 * reloaded or invalidated; a failure is shown but not kept, so the next page that asks tries
 * again. A reload keeps showing the previous answer until the new one arrives, and an answer
 * that arrives after a newer load started is dropped.
 *
 * The cache lives and dies with the session (see App.tsx), so nothing one user loaded is ever
 * shown to the next.
 */
export class QueryCache {
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Map<string, Set<() => void>>();
  #generation = 0;

  static idOf(key: QueryKey): string {
    return JSON.stringify(key);
  }

  /** The current state of a request: loading until its first answer. Stable between changes. */
  read(id: string): Resource<unknown> {
    return this.#entries.get(id)?.resource ?? LOADING;
  }

  subscribe(id: string, listener: () => void): () => void {
    let set = this.#listeners.get(id);
    if (!set) this.#listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(id);
    };
  }

  /** Loads unless an answer is kept or a load is already on its way. */
  ensure(id: string, key: QueryKey, load: () => Promise<unknown>): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry?.pending) return entry.pending;
    if (entry?.resource.status === 'ready') return Promise.resolve();
    return this.refresh(id, key, load);
  }

  /** Loads again, whatever is kept; resolves once the answer (or failure) is in. */
  refresh(id: string, key: QueryKey, load: () => Promise<unknown>): Promise<void> {
    const generation = ++this.#generation;
    const pending = (async () => {
      let resource: Resource<unknown>;
      try {
        resource = { status: 'ready', data: await load() };
      } catch (error) {
        resource = { status: 'error', message: describeError(error) };
      }
      this.#settle(id, generation, resource);
    })();
    const before = this.#entries.get(id);
    this.#entries.set(id, { key, load, resource: before?.resource ?? LOADING, generation, pending });
    return pending;
  }

  /**
   * Forgets every answer whose key starts with `prefix` (after a change that makes them wrong):
   * requests a page is showing load again at once, the others when a page next asks.
   */
  invalidate(prefix: QueryKey): void {
    for (const [id, entry] of this.#entries) {
      if (!prefix.every((part, index) => entry.key[index] === part)) continue;
      if (this.#listeners.has(id)) void this.refresh(id, entry.key, entry.load);
      else this.#entries.delete(id);
    }
  }

  #settle(id: string, generation: number, resource: Resource<unknown>): void {
    const entry = this.#entries.get(id);
    if (entry?.generation !== generation) return; // a newer load (or invalidate) owns the entry
    this.#entries.set(id, { ...entry, resource, pending: undefined });
    for (const listener of this.#listeners.get(id) ?? []) listener();
  }
}

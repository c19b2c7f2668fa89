import type { Actor } from '../actor.js';

/** What a server remembers of a session it checked against the database. */
export interface CachedSession {
  readonly actor: Actor;
  readonly expiresAt: number;
  /** The last use this process knows of (the database's, or a later touch of its own). */
  lastSeenAt: number;
  /** The revocation epoch read BEFORE the session row was: a newer epoch means "check again". */
  readonly epoch: number;
  /** When the row was read; an entry older than the cache's lifetime is checked again. */
  readonly checkedAt: number;
}

export interface SessionCacheLimits {
  /** Sessions kept at most; the least recently used is dropped first. */
  readonly maxEntries: number;
  /** How long an entry may answer without a fresh read of the session row, even at an unchanged epoch. */
  readonly ttlMs: number;
}

/** 10,000 sessions (~2 MB) and one minute: a hospital's staff and patients online at once. */
export const DEFAULT_SESSION_CACHE: SessionCacheLimits = { maxEntries: 10_000, ttlMs: 60_000 };

/**
 * Sessions this process has checked, keyed by the token's SHA-256 in hex (never the token), in a
 * bounded least-recently-used map. The cache never decides alone: an entry answers only while
 * the database's revocation epoch is the one it was read under (`Sessions` reads that one row
 * per request), so a logout or an account disable on ANY server is seen on the next request.
 * Entries of this process are also dropped at once on logout and disable.
 */
export class SessionCache {
  readonly #entries = new Map<string, CachedSession>();

  constructor(private readonly limits: SessionCacheLimits = DEFAULT_SESSION_CACHE) {
    if (!(limits.maxEntries >= 1) || !(limits.ttlMs >= 0)) throw new TypeError('session cache limits');
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry for `key` if it was read under `epoch` and within the lifetime; else none (and it is dropped). */
  get(key: string, epoch: number, now: number): CachedSession | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.epoch !== epoch || now - entry.checkedAt >= this.limits.ttlMs || now < entry.checkedAt) {
      this.#entries.delete(key);
      return undefined;
    }
    // Most recently used goes last: Map keeps insertion order.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedSession): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.limits.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every session of an account (disable, credential change). */
  deleteUser(userId: string): void {
    for (const [key, entry] of this.#entries) if (entry.actor.userId === userId) this.#entries.delete(key);
  }
}

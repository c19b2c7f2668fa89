import type { FastifyRateLimitStore } from '@fastify/rate-limit';

/** Keys (address + group) remembered; the least recently counted are forgotten first. */
const KEYS_REMEMBERED = 10_000;

interface Window {
  count: number;
  startedAt: number;
}

/**
 * A fixed-window counter store for @fastify/rate-limit that every route shares (the plugin's own
 * store gives each route a counter of its own). Routes that name the same `groupId` in their
 * rate-limit config therefore count together: one address's patient logins, PIN recoveries and
 * staff logins draw on ONE credential budget, so spreading a flood over the routes gains nothing.
 * In this process's memory, like the plugin's store.
 */
export class SharedRateStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
  ): void {
    const now = this.now();
    const found = this.windows.get(key);
    const window =
      found !== undefined && now - found.startedAt < this.windowMs ? found : { count: 0, startedAt: now };
    window.count++;
    // Re-inserting keeps the Map in least-recently-counted order, so the first key is the one to forget.
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > KEYS_REMEMBERED) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    callback(null, { current: window.count, ttl: window.startedAt + this.windowMs - now });
  }

  /** Every route shares this store: the key's group tells the budgets apart. */
  child(): FastifyRateLimitStore {
    return this;
  }
}

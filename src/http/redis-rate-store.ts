import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { SharedRateStore } from './shared-rate-store.js';

/**
 * One fixed window per key, counted in Redis: the first request of a window sets its expiry, so
 * every server using the same Redis counts one address's requests together. PTTL below 0 (a key
 * left without expiry) is repaired rather than counted forever.
 */
const INCREMENT = `local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {current, ttl}`;

/** What the store needs of a Redis client (ioredis' `Redis`; a fake in tests). */
export interface RedisEval {
  eval(script: string, keys: number, key: string, windowMs: string): Promise<unknown>;
}

/** Told when counting moves between Redis (shared) and this process (fallback), once per change. */
export type SharingChange = (shared: boolean, reason?: string) => void;

/** Keys in Redis start with this, apart from whatever else the Redis holds. */
export const REDIS_KEY_PREFIX = 'medvault:rate:';

/**
 * The rate-limit store when MEDVAULT_REDIS_URL is set: the same keys (address + group) and fixed
 * windows as {@link SharedRateStore}, but counted in Redis, so N servers allow the configured rate
 * in all, not N times it. When Redis does not answer (down, unreachable, slower than the client's
 * command timeout) the request is counted in this process's own {@link SharedRateStore} instead:
 * the limits fall back to per process, the request is answered as usual, and `onChange` is told
 * once (a warning in the log), and once more when Redis answers again.
 */
export class RedisRateStore implements FastifyRateLimitStore {
  constructor(
    private readonly redis: RedisEval,
    /** The window, as {@link SharedRateStore}'s: every limit counts per this many ms. */
    private readonly windowMs: number,
    private readonly local: SharedRateStore,
    private readonly onChange: SharingChange,
    /** Whether Redis answered at start (false: the first answer from it is reported as a change). */
    private shared = true,
  ) {}

  /** True while the last count was made in Redis. */
  get counting(): 'shared' | 'per-process' {
    return this.shared ? 'shared' : 'per-process';
  }

  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
  ): void {
    this.redis.eval(INCREMENT, 1, REDIS_KEY_PREFIX + key, String(this.windowMs)).then(
      (answer) => {
        const counted = readAnswer(answer);
        if (counted === undefined) return this.fallBack(key, callback, 'unexpected answer from Redis');
        this.changeTo(true);
        callback(null, counted);
      },
      (err: unknown) => this.fallBack(key, callback, err instanceof Error ? err.message : String(err)),
    );
  }

  /** Every route shares this store: the key's group tells the budgets apart. */
  child(): FastifyRateLimitStore {
    return this;
  }

  private fallBack(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    reason: string,
  ): void {
    this.changeTo(false, reason);
    this.local.incr(key, callback);
  }

  private changeTo(shared: boolean, reason?: string): void {
    if (shared === this.shared) return;
    this.shared = shared;
    this.onChange(shared, reason);
  }
}

function readAnswer(answer: unknown): { current: number; ttl: number } | undefined {
  if (!Array.isArray(answer) || answer.length !== 2) return undefined;
  const [current, ttl] = answer as unknown[];
  if (typeof current !== 'number' || typeof ttl !== 'number') return undefined;
  return { current, ttl };
}

import { once } from 'node:events';
import { Redis } from 'ioredis';

/** How long start-up waits for Redis before serving with per-process limits. */
const READY_WAIT_MS = 2000;

/**
 * The Redis client behind the shared rate limits. A command never waits for a connection (no
 * offline queue) nor retries, and gives up after `commandTimeout`: a request whose count cannot
 * be made in Redis at once is counted in the process instead (RedisRateStore), never delayed or
 * refused. The client reconnects by itself in the background.
 *
 * Its connection errors are not logged here (they repeat at every reconnection attempt); the
 * store logs one warning when counting falls back and one line when Redis answers again. The URL
 * (which may carry a password) is never logged.
 */
export async function connectRateLimitRedis(
  url: string,
  options: { readyWaitMs?: number } = {},
): Promise<{ redis: Redis; ready: boolean }> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  redis.on('error', () => {});
  const wait = options.readyWaitMs ?? READY_WAIT_MS;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), wait);
  let ready = redis.status === 'ready';
  if (!ready) {
    try {
      await once(redis, 'ready', { signal: abort.signal });
      ready = true;
    } catch {
      ready = false;
    }
  }
  clearTimeout(timer);
  return { redis, ready };
}

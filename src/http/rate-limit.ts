import rateLimit, { type FastifyRateLimitStore, type RateLimitOptions } from '@fastify/rate-limit';
import { rateLimited } from '../app/errors.js';
import type { Config } from '../config/config.js';
import type { App } from './app-type.js';
import { connectRateLimitRedis } from './rate-limit-redis.js';
import { RedisRateStore } from './redis-rate-store.js';
import { SharedRateStore } from './shared-rate-store.js';

/** Length of the rate-limit window: limits are per client address per minute. */
const WINDOW_MS = 60_000;

/** Whether the counts are being made in Redis now (true), or in this process (false). */
export type RateLimitSharing = () => boolean;

/**
 * The one store of every limited route: in this process's memory, or, when `MEDVAULT_REDIS_URL`
 * is set, in Redis (falling back to this process while Redis does not answer; the client is
 * disconnected when the server closes).
 */
async function chooseStore(
  app: App,
  config: Pick<Config, 'redisUrl'>,
): Promise<{ store: FastifyRateLimitStore; sharing: RateLimitSharing }> {
  const local = new SharedRateStore(WINDOW_MS);
  if (config.redisUrl === undefined) return { store: local, sharing: () => false };
  const { redis, ready } = await connectRateLimitRedis(config.redisUrl);
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  if (!ready) app.log.warn('rate limits: Redis does not answer at start; counting per process until it does');
  const store = new RedisRateStore(
    redis,
    WINDOW_MS,
    local,
    (shared, reason) => {
      if (shared) app.log.info('rate limits: Redis answers again; counting across servers');
      else app.log.warn({ reason }, 'rate limits: Redis does not answer; counting per process until it does');
    },
    ready,
  );
  return { store, sharing: () => store.counting === 'shared' };
}

/**
 * Installs @fastify/rate-limit without a global limit: only routes that ask for one (through
 * {@link authRateLimit} or {@link credentialRateLimit} in their `config`) are counted. Call once,
 * before those routes are registered. An exceeded limit answers 429 in the MedVault error shape
 * with Retry-After, through the one error mapper.
 *
 * Without `MEDVAULT_REDIS_URL` the counters live in this process's memory: with several servers
 * behind a balancer each allows the configured rate. With it, every server using that Redis
 * counts together, so the configured rate holds across them (docs/deploy.md); while Redis does
 * not answer, each server counts alone again, with a warning in the log, and no request fails
 * for it. The per-account lockout, which is in the database, is what stops guessing of one
 * account's credentials; this limit only slows a single address across accounts, and the
 * bounded hashing pool (503 `credential_queue_full`) is what protects the server from many.
 *
 * @returns whether the counts are being made in Redis now (for /metrics).
 */
export async function registerRateLimit(
  app: App,
  config: Pick<Config, 'redisUrl'>,
): Promise<RateLimitSharing> {
  // One store for every route, so routes naming the same group share one budget per address.
  const { store, sharing } = await chooseStore(app, config);
  await app.register(rateLimit, {
    global: false,
    store: class implements FastifyRateLimitStore {
      incr(...args: Parameters<FastifyRateLimitStore['incr']>): void {
        store.incr(...args);
      }
      child(): FastifyRateLimitStore {
        return store;
      }
    },
    errorResponseBuilder: (_request, context) =>
      rateLimited(
        Math.max(1, Math.ceil(context.ttl / 1000)),
        'Too many requests from this address. Try again later.',
      ),
  });
  return sharing;
}

/**
 * Route `config` for the auth routes that check no credential (the staff challenge): at most
 * `config.authRateLimitPerMinute` requests per client address per minute.
 */
export function authRateLimit(config: Pick<Config, 'authRateLimitPerMinute'>): {
  rateLimit: RateLimitOptions;
} {
  return { rateLimit: { max: config.authRateLimitPerMinute, timeWindow: WINDOW_MS, groupId: ':auth' } };
}

/**
 * Route `config` for the routes that check a password or PIN with argon2id (patient login, PIN
 * recovery and reset, staff login): at most `config.credentialRateLimitPerMinute` attempts per
 * client address per minute, counted TOGETHER across those routes (issue 15, finding 3: the old
 * 600 a minute per route let one address ask for about 30 hashes a second, five times what the
 * box could do). Tight by default (10); a hospital whose staff all come through one NAT address
 * raises it (README, settings).
 */
export function credentialRateLimit(config: Pick<Config, 'credentialRateLimitPerMinute'>): {
  rateLimit: RateLimitOptions;
} {
  return {
    rateLimit: { max: config.credentialRateLimitPerMinute, timeWindow: WINDOW_MS, groupId: ':credential' },
  };
}

/**
 * Route `config` for the unseal route: at most `config.unsealRateLimitPerMinute` calls per client
 * address per minute. A share is 256 random bits, so this is not what stops guessing; it keeps a
 * flood from filling the attempt log a sealed server keeps for the ledger.
 */
export function unsealRateLimit(config: Pick<Config, 'unsealRateLimitPerMinute'>): {
  rateLimit: RateLimitOptions;
} {
  return { rateLimit: { max: config.unsealRateLimitPerMinute, timeWindow: WINDOW_MS } };
}

/**
 * Route `config` for the break-glass look-up: at most `config.breakGlassLookupRateLimitPerMinute`
 * look-ups per minute per DOCTOR (the session's user, not the address: a hospital's doctors may
 * share one), counted after authentication. A look-up finds any patient in the hospital, so this
 * bounds how fast one account can walk the MRN space; every look-up is in the ledger too.
 */
export function breakGlassLookupRate(config: Pick<Config, 'breakGlassLookupRateLimitPerMinute'>): {
  rateLimit: RateLimitOptions;
} {
  return {
    rateLimit: {
      max: config.breakGlassLookupRateLimitPerMinute,
      timeWindow: WINDOW_MS,
      groupId: ':break-glass-lookup',
      // After the auth hook has set the scope; an anonymous call (401 anyway) counts by address.
      hook: 'preHandler',
      keyGenerator: (request) =>
        request.scope === null ? `ip:${request.ip}` : `user:${request.scope.userId}`,
      errorResponseBuilder: (_request, context) =>
        rateLimited(
          Math.max(1, Math.ceil(context.ttl / 1000)),
          'Too many look-ups in a minute. Wait a moment, then try again.',
        ),
    },
  };
}

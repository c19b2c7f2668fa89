import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import { rateLimited } from '../app/errors.js';
import type { Config } from '../config/config.js';
import type { App } from './app-type.js';

/** Length of the rate-limit window: limits are per client address per minute. */
const WINDOW_MS = 60_000;
/** Client addresses remembered per route (least recently seen are forgotten first). */
const ADDRESSES_REMEMBERED = 10_000;

/**
 * Installs @fastify/rate-limit without a global limit: only routes that ask for one (through
 * {@link authRateLimit} in their `config`) are counted. Call once, before those routes are
 * registered. An exceeded limit answers 429 in the MedVault error shape with Retry-After, through
 * the one error mapper.
 *
 * Counters live in this process's memory: with several servers behind a balancer each allows the
 * configured rate. The per-account lockout, which is in the database, is what stops guessing of
 * one account's credentials; this limit only slows a single address across accounts.
 */
export async function registerRateLimit(app: App): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    cache: ADDRESSES_REMEMBERED,
    errorResponseBuilder: (_request, context) =>
      rateLimited(
        Math.max(1, Math.ceil(context.ttl / 1000)),
        'Too many requests from this address. Try again later.',
      ),
  });
}

/**
 * Route `config` for the authentication routes (/api/v1/auth/*): at most
 * `config.authRateLimitPerMinute` requests per client address per minute, counted per route.
 * Use as `contractRoute(app, CONTRACT.patientLogin, { config: authRateLimit(ctx.config) }, handler)`.
 */
export function authRateLimit(config: Pick<Config, 'authRateLimitPerMinute'>): {
  rateLimit: RateLimitOptions;
} {
  return { rateLimit: { max: config.authRateLimitPerMinute, timeWindow: WINDOW_MS } };
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

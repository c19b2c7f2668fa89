import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { buildServer, type App } from '../../src/http/server.js';
import { tempDir } from '../support/stores.js';

describe('per-address rate limit on the auth routes', () => {
  let ctx: AppContext;
  let server: App;
  const LIMIT = 3;

  beforeAll(async () => {
    const config = loadConfig({
      MEDVAULT_DATA_DIR: tempDir(),
      LOG_LEVEL: 'silent',
      MEDVAULT_AUTH_RATE_LIMIT: String(LIMIT),
    });
    ctx = await openApp(config);
    server = await buildServer({ config, checkReady: () => ctx.store.ping(), app: ctx, logger: false });
  });
  afterAll(async () => {
    await server.close();
    await ctx.close();
  });

  const challenge = (ip: string) =>
    server.inject({
      method: 'POST',
      url: '/api/v1/auth/staff/challenge',
      payload: { username: 'someone' },
      remoteAddress: ip,
    });

  it(`answers 429 in the error shape with Retry-After after ${LIMIT} requests a minute from one address`, async () => {
    for (let i = 0; i < LIMIT; i++) expect((await challenge('10.0.0.1')).statusCode).toBe(200);
    const refused = await challenge('10.0.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address is not affected.
    expect((await challenge('10.0.0.2')).statusCode).toBe(200);
  });

  it('counts each login route separately and leaves session and admin routes alone', async () => {
    const login = () =>
      server.inject({
        method: 'POST',
        url: '/api/v1/auth/staff/login',
        payload: { username: 'someone', password: 'x', challengeId: 'nope', signature: 'AAAA' },
        remoteAddress: '10.0.0.3',
      });
    for (let i = 0; i < LIMIT; i++) expect((await login()).statusCode).toBe(401);
    expect((await login()).statusCode).toBe(429);
    for (let i = 0; i < LIMIT + 2; i++) {
      const me = await server.inject({ method: 'GET', url: '/api/v1/auth/me', remoteAddress: '10.0.0.4' });
      expect(me.statusCode).toBe(401);
    }
    for (let i = 0; i < LIMIT + 2; i++) {
      const admin = await server.inject({
        method: 'GET',
        url: '/api/v1/admin/users',
        remoteAddress: '10.0.0.3',
      });
      expect(admin.statusCode).toBe(401);
    }
  });
});

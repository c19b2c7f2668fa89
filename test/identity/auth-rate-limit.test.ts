import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { buildServer, type App } from '../../src/http/server.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';
import { tempDir } from '../support/stores.js';

describe('per-address rate limits on the auth routes', () => {
  let ctx: AppContext;
  let server: App;
  const LIMIT = 3;
  const CREDENTIAL_LIMIT = 4;

  beforeAll(async () => {
    const config = loadConfig({
      MEDVAULT_DATA_DIR: tempDir(),
      LOG_LEVEL: 'silent',
      MEDVAULT_AUTH_RATE_LIMIT: String(LIMIT),
      MEDVAULT_CREDENTIAL_RATE_LIMIT: String(CREDENTIAL_LIMIT),
    });
    ctx = await openApp(config, CHEAP_COSTS);
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

  it('counts the credential routes together: an address spreading guesses over them is refused past the budget (429)', async () => {
    const from = '10.0.0.3';
    const post = (url: string, payload: object, remoteAddress = from) =>
      server.inject({ method: 'POST', url, payload, remoteAddress });
    const ssn = '900-12-3456';
    const attempts = [
      () => post('/api/v1/auth/patient/login', { ssn, pin: '123456', password: 'not the password' }),
      () =>
        post('/api/v1/auth/pin-recovery', {
          ssn,
          password: 'not the password',
          dateOfBirth: '1980-01-01',
          recoveryCode: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA',
          newPin: '654321',
        }),
      () =>
        post('/api/v1/auth/pin-reset', {
          ssn,
          password: 'not the password',
          resetToken: 'x'.repeat(43),
          newPin: '654321',
        }),
      () =>
        post('/api/v1/auth/staff/login', {
          username: 'someone',
          password: 'x',
          challengeId: 'nope',
          signature: 'AAAA',
        }),
    ];
    expect(attempts).toHaveLength(CREDENTIAL_LIMIT);
    for (const attempt of attempts) expect([400, 401]).toContain((await attempt()).statusCode);
    for (const attempt of attempts) {
      const refused = await attempt();
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The refused attempts were never checked: the SSN's lockout counted only the first three.
    const row = await ctx.store.db.selectFrom('lockouts').selectAll().execute();
    expect(row.map((r) => r.failures).sort()).toEqual([3]);
    // Another address has its own budget; the challenge route has its own limit.
    expect((await attempts[0]!()).statusCode).toBe(429);
    expect(
      (await post('/api/v1/auth/patient/login', { ssn, pin: '123456', password: 'x' }, '10.0.0.9'))
        .statusCode,
    ).toBe(401);
    expect((await challenge(from)).statusCode).toBe(200);
  });

  it('leaves session and admin routes alone', async () => {
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { seedVitals } from './live-vitals.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { jsonCaller } from '../support/http.js';
import { insertStaff, tokenFor } from '../support/people.js';
import { runCli } from '../support/cli.js';

const QUERY = { metric: 'heartRate', aggregate: 'mean', cohort: { kind: 'all' }, epsilon: 0.5 };

describe('analytics over HTTP and the CLI (3072-bit key, the default)', () => {
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let admin: Actor & { username: string };
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    call = jsonCaller(server.url);
    const { db } = server.app.store;
    const a = await insertStaff(db, 'admin');
    const row = await db
      .selectFrom('users')
      .select('username')
      .where('id', '=', a.userId)
      .executeTakeFirstOrThrow();
    admin = { ...a, username: row.username! };
    adminToken = await tokenFor(server.app, admin);
    await seedVitals(
      server.app,
      a.userId,
      [64, 72, 90].map((heartRate, i) => ({ dateOfBirth: `197${i}-05-05`, vitals: { heartRate } })),
    );
  }, 120_000);
  afterAll(() => server?.close());

  it('answers an admin with a noisy value, its interval, the noise scales and the budget', async () => {
    const res = await call('POST', '/api/v1/analytics/query', { token: adminToken, body: QUERY });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      metric: 'heartRate',
      unit: 'bpm',
      aggregate: 'mean',
      cohortLabel: 'all patients',
      epsilon: 0.5,
      noiseScale: { sum: 460, count: 4 },
      budget: { totalEpsilon: 5, spentEpsilon: 0.5, remainingEpsilon: 4.5, windowDays: 30 },
    });
    const budget = await call('GET', '/api/v1/analytics/budget', { token: adminToken });
    const window = 30 * 86_400_000;
    const startedAt = Date.now() - (Date.now() % window);
    expect(budget.body).toEqual({
      totalEpsilon: 5,
      spentEpsilon: 0.5,
      remainingEpsilon: 4.5,
      windowDays: 30,
      windowStartedAt: startedAt,
      resetsAt: startedAt + window,
      analyst: null,
      analysts: [
        {
          analystId: admin.userId,
          name: 'Staff admin',
          spentEpsilon: 0.5,
          queries: 1,
          lastSpentAt: expect.any(Number),
        },
      ],
    });
  });

  it('validates the body (no way to ask for an answer without noise)', async () => {
    for (const body of [
      { ...QUERY, noise: false },
      { ...QUERY, epsilon: 5 },
      { ...QUERY, epsilon: 0 },
      { ...QUERY, metric: 'salary' },
      { ...QUERY, cohort: { kind: 'age_band', from: 10 } },
      { ...QUERY, cohort: { kind: 'all', extra: 1 } },
    ]) {
      const res = await call('POST', '/api/v1/analytics/query', { token: adminToken, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('refuses non-admins (403) and anonymous callers (401)', async () => {
    const doctor = await tokenFor(server.app, await insertStaff(server.app.store.db, 'doctor'));
    expect((await call('POST', '/api/v1/analytics/query', { token: doctor, body: QUERY })).status).toBe(403);
    expect((await call('GET', '/api/v1/analytics/budget', { token: doctor })).status).toBe(403);
    expect((await call('POST', '/api/v1/analytics/query', { body: QUERY })).status).toBe(401);
  });

  it('the CLI queries for a named admin and prints the answer; --help explains the flags', async () => {
    const env = { MEDVAULT_DATA_DIR: server.app.config.dataDir, LOG_LEVEL: 'silent' };
    const out = await runCli(
      [
        'analytics',
        'query',
        '--as',
        admin.username,
        '--metric',
        'heartRate',
        '--aggregate',
        'sum',
        '--cohort',
        'age:40-70',
        '--epsilon',
        '1',
      ],
      env,
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^sum of heartRate \(bpm\), aged 40–70: -?\d+/);
    expect(out.stdout).toMatch(
      /hospital budget: epsilon 3\.5 of 5 left this window \(1\.5 spent; 30-day windows, resets \d{4}-\d\d-\d\d 00:00 UTC\)/,
    );
    const [notAdmin, help, budget] = await Promise.all([
      runCli(['analytics', 'budget', '--as', 'nobody'], env),
      runCli(['analytics', 'query', '--help'], env),
      runCli(['analytics', 'budget', '--as', admin.username], env),
    ]);
    expect(budget.stdout).toMatch(/hospital budget: epsilon 3\.5 of 5 left this window/);
    expect(budget.stdout).toMatch(/ {2}Staff admin: epsilon 1\.5 in 2 queries, last \d{4}-/);
    expect([notAdmin.code, notAdmin.stderr]).toEqual([
      1,
      'medvault: nobody is not an active admin account.\n',
    ]);
    expect(help.stdout).toContain('--cohort <cohort>');
    expect(help.stdout).toContain('diagnosis:<keyword>');
  }, 60_000);

  it('an exhausted budget is 429 with Retry-After, and spends nothing', async () => {
    // 1.5 spent so far; 3.5 left.
    for (const epsilon of [2, 1.5]) {
      const ok = await call('POST', '/api/v1/analytics/query', {
        token: adminToken,
        body: { ...QUERY, epsilon },
      });
      expect(ok.status).toBe(200);
    }
    const refused = await call('POST', '/api/v1/analytics/query', {
      token: adminToken,
      body: { ...QUERY, epsilon: 0.01 },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('privacy_budget_exhausted');
    const budget = await call('GET', '/api/v1/analytics/budget', { token: adminToken });
    expect(budget.body.remainingEpsilon).toBe(0);
    // Retry-After and the message say when the window resets.
    const resetsAt = Number(budget.body.resetsAt);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Math.abs(retryAfter - (resetsAt - Date.now()) / 1000)).toBeLessThan(5);
    expect(refused.body.error?.message).toContain(new Date(resetsAt).toISOString());
  });
});

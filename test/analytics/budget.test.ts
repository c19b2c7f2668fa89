import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import type { AnalyticsQueryInput } from '../../src/app/analytics/analytics-query.js';
import { AppError } from '../../src/app/errors.js';
import { analyticsWorld, type AnalyticsWorld } from './vitals-fixtures.js';
import { TEST_MASTER_KEY } from '../support/master-key.js';
import { DIALECTS } from '../support/stores.js';
import { ROOT } from '../support/cli.js';
import { rejectsWith } from '../support/assertions.js';
import { TestClock } from '../support/clock.js';
import { insertStaff } from '../support/people.js';

const WORKER = path.join(ROOT, 'test/analytics/budget-worker.ts');
const DAY = 86_400_000;
/** A 30-day window's first millisecond (day 21,900 since 1970-01-01 is a multiple of 30). */
const WINDOW_START = 21_900 * DAY;

/** One stand-in server process (./budget-worker.ts): `ready` at its barrier, `done` with its counts. */
function serverProcess(w: AnalyticsWorld, adminId: string, count: number) {
  const args = JSON.stringify({
    dataDir: w.t.dataDir,
    databaseUrl: w.t.databaseUrl,
    masterKey: TEST_MASTER_KEY.toString('base64'),
    adminId,
    count,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, args], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const ready = new Promise<void>((resolve) =>
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('ready\n')) resolve();
    }),
  );
  const done = new Promise<{ ok: number; refused: number }>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`budget worker exited ${code}: ${err}`)),
    ),
  );
  return {
    ready: Promise.race([ready, done.then(() => undefined)]),
    go: () => child.stdin.end('go\n'),
    done,
  };
}

const Q = (epsilon: number): AnalyticsQueryInput => ({
  metric: 'heartRate',
  aggregate: 'sum',
  cohort: { kind: 'all' },
  epsilon,
});

/** The hospital's ledger of spend (every analyst), or one analyst's part of it. */
async function spends(
  w: AnalyticsWorld,
  analystId?: string,
): Promise<Array<{ epsilon_milli: number; ledger_seq: number }>> {
  let query = w.db.selectFrom('analytics_privacy_spends').select(['epsilon_milli', 'ledger_seq']);
  if (analystId !== undefined) query = query.where('analyst_id', '=', analystId);
  const rows = await query.execute();
  return rows.map((r) => ({ epsilon_milli: Number(r.epsilon_milli), ledger_seq: Number(r.ledger_seq) }));
}

const total = async (w: AnalyticsWorld, analystId?: string): Promise<number> =>
  (await spends(w, analystId)).reduce((a, s) => a + s.epsilon_milli, 0);

describe.each(DIALECTS)('privacy budget on %s', (dialect) => {
  let w: AnalyticsWorld | undefined;
  afterEach(async () => {
    await w?.dispose();
    w = undefined;
  });

  it('spends each query’s epsilon, refuses the one that does not fit (429, nothing spent), ledgers both', async () => {
    const clock = new TestClock(WINDOW_START + DAY);
    w = await analyticsWorld(dialect, { clock });
    await w.vitals(await w.patient('1980-02-02'), { heartRate: 66 });
    expect(await w.analytics.statistics.budget(w.as(w.admin))).toEqual({
      totalEpsilon: 5,
      spentEpsilon: 0,
      remainingEpsilon: 5,
      windowDays: 30,
      windowStartedAt: WINDOW_START,
      resetsAt: WINDOW_START + 30 * DAY,
      analyst: null,
      analysts: [],
    });
    for (const eps of [2, 1.5, 1.25]) await w.analytics.statistics.query(w.as(w.admin), Q(eps));
    const last = await w.analytics.statistics.query(w.as(w.admin), Q(0.25));
    expect(last.budget.remainingEpsilon).toBe(0);
    const err = await rejectsWith(
      w.analytics.statistics.query(w.as(w.admin), Q(0.01)),
      'rate_limited',
      'privacy_budget_exhausted',
    );
    // Retry-After and the message say when the window resets.
    expect(err.retryAfterSeconds).toBe(29 * 86_400);
    expect(err.message).toContain(new Date(WINDOW_START + 30 * DAY).toISOString());
    expect(await total(w, w.admin.userId)).toBe(5000);

    // Every spend names its success entry; the refusal left a denied entry and no spend.
    const page = await w.ledger.entries(w.db, { action: 'analytics.query' }, { limit: 50 });
    const success = page.entries.filter((e) => e.outcome === 'success');
    const denied = page.entries.filter((e) => e.outcome === 'denied');
    expect(success).toHaveLength(4);
    expect(denied).toHaveLength(1);
    expect(denied[0]!.details).toMatchObject({ reason: 'privacy_budget_exhausted', epsilon: 0.01 });
    for (const s of await spends(w)) {
      const entry = success.find((e) => e.seq === s.ledger_seq);
      expect(entry?.actor?.userId).toBe(w.admin.userId);
      expect(entry?.details).toMatchObject({
        metric: 'heartRate',
        aggregate: 'sum',
        epsilon: s.epsilon_milli / 1000,
      });
    }
  });

  // PostgreSQL: two servers (two connection pools) racing. SQLite: one server's concurrent
  // requests; a second SQLite handle in this same process would block the event loop on the
  // synchronous driver's busy wait, so cross-process SQLite locking is left to its IMMEDIATE
  // transactions (as the ledger's two-process test shows for appends).
  it('concurrent queries of two admins never overspend the hospital’s budget', async () => {
    w = await analyticsWorld(dialect);
    await w.vitals(await w.patient('1980-02-02'), { heartRate: 66 });
    const second: Actor = await insertStaff(w.db, 'admin');
    const other =
      dialect === 'postgres' ? (await w.secondServer()).analytics.statistics : w.analytics.statistics;
    const attempts = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0 ? w!.analytics.statistics.query(w!.as(w!.admin), Q(1)) : other.query(w!.as(second), Q(1)),
    );
    const results = await Promise.allSettled(attempts);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter(
      (r) =>
        r.status === 'rejected' &&
        r.reason instanceof AppError &&
        r.reason.code === 'privacy_budget_exhausted',
    );
    expect([ok.length, refused.length]).toEqual([5, 7]);
    expect(await total(w)).toBe(5000);
    const page = await w.ledger.entries(w.db, { action: 'analytics.query' }, { limit: 50 });
    expect(page.entries.filter((e) => e.outcome === 'success')).toHaveLength(5);
    expect(await w.ledger.verify(w.db)).toMatchObject({ ok: true });
  }, 60_000);

  it('two server processes querying at once, for two admins, never overspend', async () => {
    w = await analyticsWorld(dialect);
    await w.vitals(await w.patient('1980-02-02'), { heartRate: 66 });
    const second: Actor = await insertStaff(w.db, 'admin');
    const servers = [serverProcess(w, w.admin.userId, 6), serverProcess(w, second.userId, 6)];
    await Promise.all(servers.map((s) => s.ready));
    for (const s of servers) s.go();
    const counts = await Promise.all(servers.map((s) => s.done));
    expect(counts.reduce((a, c) => a + c.ok, 0)).toBe(5);
    expect(counts.reduce((a, c) => a + c.refused, 0)).toBe(7);
    expect(await total(w)).toBe(5000);
    expect(await w.ledger.verify(w.db)).toMatchObject({ ok: true });
  }, 90_000);

  it('only admins query or read a budget (403), and a refusal spends nothing', async () => {
    w = await analyticsWorld(dialect);
    for (const role of ['doctor', 'registrar', 'pharmacist'] as const) {
      const actor = await insertStaff(w.db, role);
      await rejectsWith(w.analytics.statistics.query(w.as(actor), Q(1)), 'forbidden');
      await rejectsWith(w.analytics.statistics.budget(w.as(actor)), 'forbidden');
    }
    const patient: Actor = { userId: await w.patient('1999-09-09'), role: 'patient' };
    await rejectsWith(w.analytics.statistics.query(w.as(patient), Q(1)), 'forbidden');
    await rejectsWith(w.analytics.statistics.budget(w.as(patient)), 'forbidden');
    expect(await w.db.selectFrom('analytics_privacy_spends').selectAll().execute()).toEqual([]);
  });
});

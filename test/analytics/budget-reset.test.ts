import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import type { AnalyticsQueryInput } from '../../src/app/analytics/analytics-query.js';
import { rejectsWith } from '../support/assertions.js';
import { TestClock } from '../support/clock.js';
import { insertStaff } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { analyticsWorld, type AnalyticsWorld } from './vitals-fixtures.js';

/**
 * Issue 15, finding 2, from the attacker's side: the privacy budget was kept per admin account
 * and admins create admins, so an admin who had spent the budget minted a colleague and queried
 * on. Now the budget is the hospital's, per fixed window, optionally split between analysts.
 */
const DAY = 86_400_000;
/** A 30-day window's first millisecond (day 21,900 since 1970-01-01 is a multiple of 30). */
const WINDOW_START = 21_900 * DAY;
const WINDOW_END = WINDOW_START + 30 * DAY;

const Q = (epsilon: number): AnalyticsQueryInput => ({
  metric: 'heartRate',
  aggregate: 'count',
  cohort: { kind: 'all' },
  epsilon,
});

describe.each(DIALECTS)('the hospital’s privacy budget on %s', (dialect) => {
  let w: AnalyticsWorld | undefined;
  afterEach(async () => {
    await w?.dispose();
    w = undefined;
  });

  async function world(options: { analystShareMilli?: number } = {}) {
    const clock = new TestClock(WINDOW_START + 3 * DAY);
    w = await analyticsWorld(dialect, { clock, ...options });
    await w.vitals(await w.patient('1980-02-02'), { heartRate: 66 });
    return { w, clock };
  }

  it('an admin who spent the budget and mints a new admin gets nothing more (429 until the window resets)', async () => {
    const { w } = await world();
    const stats = w.analytics.statistics;
    for (let i = 0; i < 5; i++) await stats.query(w.as(w.admin), Q(1));
    await rejectsWith(stats.query(w.as(w.admin), Q(0.01)), 'rate_limited', 'privacy_budget_exhausted');

    // The attacker's move: a fresh admin account, made by the admin who spent everything (and,
    // since issue 14, approved by a second admin: even granted, it brings no fresh budget).
    const made = await w.identity.staffAccounts.create(w.as(w.admin), {
      role: 'admin',
      username: 'fresh.admin',
      displayName: 'Fresh Admin',
    });
    await w.approvals.approve(w.as(await insertStaff(w.db, 'admin', 'Second')), made.approvalId);
    const fresh: Actor = { userId: made.user.id, role: 'admin' };
    expect(await stats.budget(w.as(fresh))).toMatchObject({ remainingEpsilon: 0, spentEpsilon: 5 });
    const refused = await rejectsWith(
      stats.query(w.as(fresh), Q(0.01)),
      'rate_limited',
      'privacy_budget_exhausted',
    );
    expect(refused.retryAfterSeconds).toBe(27 * 86_400);
    expect(refused.message).toContain(`resets at ${new Date(WINDOW_END).toISOString()}`);
    expect(refused.message).toContain("hospital's privacy budget");
    // Nothing spent by the refusal; a denied entry names the new admin.
    const spends = await w.db.selectFrom('analytics_privacy_spends').select('analyst_id').execute();
    expect(spends.map((s) => s.analyst_id)).toEqual(Array(5).fill(w.admin.userId));
    const page = await w.ledger.entries(w.db, { action: 'analytics.query' }, { limit: 50 });
    const denied = page.entries.filter((e) => e.outcome === 'denied').map((e) => e.actor?.userId);
    expect(denied.sort()).toEqual([w.admin.userId, fresh.userId].sort());
  });

  it('a raise needs a second admin; approved, it adds to this window only', async () => {
    const { w, clock } = await world();
    const stats = w.analytics.statistics;
    for (let i = 0; i < 5; i++) await stats.query(w.as(w.admin), Q(1));
    const asked = await w.analytics.budgetRaises.request(w.as(w.admin), 2);
    expect(asked).toMatchObject({ kind: 'budget.raise', subjectId: 'hospital', status: 'pending' });
    // The requester cannot approve it, and a doctor cannot decide at all.
    await rejectsWith(w.approvals.approve(w.as(w.admin), asked.id), 'forbidden', 'approval_own_request');
    await rejectsWith(w.approvals.approve(w.as(await insertStaff(w.db, 'doctor')), asked.id), 'forbidden');
    await rejectsWith(stats.query(w.as(w.admin), Q(0.5)), 'rate_limited', 'privacy_budget_exhausted');
    const second = await insertStaff(w.db, 'admin', 'Second');
    await w.approvals.approve(w.as(second), asked.id);
    expect(await stats.budget(w.as(w.admin))).toMatchObject({ totalEpsilon: 7, remainingEpsilon: 2 });
    await stats.query(w.as(w.admin), Q(2));
    await rejectsWith(w.analytics.budgetRaises.request(w.as(w.admin), 0), 'invalid_input');
    await rejectsWith(
      w.analytics.budgetRaises.request(w.as(await insertStaff(w.db, 'doctor')), 1),
      'forbidden',
    );
    // The next window has the configured budget again.
    clock.advance(WINDOW_END + DAY - clock.now);
    expect(await stats.budget(w.as(w.admin))).toMatchObject({ totalEpsilon: 5, remainingEpsilon: 5 });
  });

  it('split between analysts: each spends at most its share, all of them at most the total', async () => {
    // Share 0.4 of epsilon 5: any one analyst at most 2 per window.
    const { w } = await world({ analystShareMilli: 400 });
    const stats = w.analytics.statistics;
    const b = await insertStaff(w.db, 'admin', 'Bea');
    const c = await insertStaff(w.db, 'admin', 'Cy');
    await stats.query(w.as(w.admin), Q(1.5));
    const after = await stats.query(w.as(w.admin), Q(0.5));
    expect(after.budget).toMatchObject({
      remainingEpsilon: 3,
      analyst: { shareEpsilon: 2, spentEpsilon: 2, remainingEpsilon: 0 },
    });
    const own = await rejectsWith(
      stats.query(w.as(w.admin), Q(0.01)),
      'rate_limited',
      'privacy_budget_exhausted',
    );
    expect(own.message).toContain('Your share');
    expect(own.retryAfterSeconds).toBe(27 * 86_400);
    // The others still have theirs, until the hospital's total runs out.
    await stats.query(w.as(b), Q(2));
    await stats.query(w.as(c), Q(0.5));
    expect(await stats.budget(w.as(c))).toMatchObject({
      remainingEpsilon: 0.5,
      analyst: { spentEpsilon: 0.5, remainingEpsilon: 0.5 },
    });
    await stats.query(w.as(c), Q(0.5));
    const hospital = await rejectsWith(
      stats.query(w.as(c), Q(0.5)),
      'rate_limited',
      'privacy_budget_exhausted',
    );
    expect(hospital.message).toContain("The hospital's privacy budget");
    const report = await stats.budget(w.as(w.admin));
    expect(report.spentEpsilon).toBe(5);
    // Largest spend first (ties in any order).
    expect(report.analysts.map((a) => a.spentEpsilon)).toEqual([2, 2, 1]);
    expect(report.analysts.map((a) => [a.name, a.spentEpsilon, a.queries]).sort()).toEqual([
      ['Bea', 2, 1],
      ['Cy', 1, 2],
      ['Staff admin', 2, 2],
    ]);
  });

  it('the whole budget comes back when the window ends, not a millisecond before; history stays', async () => {
    const { w, clock } = await world();
    const stats = w.analytics.statistics;
    await stats.query(w.as(w.admin), Q(2));
    await stats.query(w.as(w.admin), Q(2));
    await stats.query(w.as(w.admin), Q(1));
    clock.advance(WINDOW_END - 1 - clock.now);
    const last = await rejectsWith(stats.query(w.as(w.admin), Q(0.01)), 'rate_limited');
    expect(last.retryAfterSeconds).toBe(1);
    clock.advance(1);
    expect(await stats.budget(w.as(w.admin))).toMatchObject({
      spentEpsilon: 0,
      remainingEpsilon: 5,
      windowStartedAt: WINDOW_END,
      resetsAt: WINDOW_END + 30 * DAY,
      analysts: [],
    });
    const answer = await stats.query(w.as(w.admin), Q(2));
    expect(answer.budget.remainingEpsilon).toBe(3);
    // What each analyst spent when is kept across windows.
    const rows = await w.db.selectFrom('analytics_privacy_spends').select(['spent_at']).execute();
    expect(rows.map((r) => Number(r.spent_at)).sort()).toEqual([
      WINDOW_START + 3 * DAY,
      WINDOW_START + 3 * DAY,
      WINDOW_START + 3 * DAY,
      WINDOW_END,
    ]);
  });
});

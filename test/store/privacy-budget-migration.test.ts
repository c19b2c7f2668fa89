import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import {
  lockHospitalBudget,
  spendByAnalyst,
  spentInWindow,
} from '../../src/store/privacy-spend-repository.js';
import { withTransaction } from '../../src/store/database.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';

/**
 * Migration 008 moves every per-admin spend into the hospital's ledger of spend, keeping who
 * spent what when (and the ledger entry), and replaces the per-admin lock rows with one hospital
 * row — on both dialects.
 */
describe.each(DIALECTS)('migration 008-hospital-privacy-budget on %s', (dialect) => {
  let t: TestStore;
  afterEach(async () => t?.dispose());

  it('keeps every spend with its analyst, time and ledger entry; the total is the hospital’s', async () => {
    t = await createTestStore(dialect, { migrate: false });
    await migrateToLatest(t.store, { upTo: '007-grant-scope' });
    const db = t.store.db;
    await sql`insert into users (id, role, username, display_name, status, password_hash, created_at, updated_at)
      values ('admin-a', 'admin', 'ada', 'Ada', 'active', null, 1, 1)`.execute(db);
    const spend = (id: string, actor: string, milli: number, at: number, seq: number) =>
      sql`insert into analytics_spends (id, actor_id, epsilon_milli, spent_at, ledger_seq)
        values (${id}, ${actor}, ${milli}, ${at}, ${seq})`.execute(db);
    await sql`insert into analytics_budget_locks (actor_id, created_at) values ('admin-a', 1)`.execute(db);
    await spend('q1', 'admin-a', 5000, 1_000, 3);
    await spend('q2', 'admin-b', 2500, 2_000, 7);
    await spend('q3', 'admin-b', 500, 9_000, 9);

    expect(await migrateToLatest(t.store, { upTo: '008-hospital-privacy-budget' })).toEqual([
      '008-hospital-privacy-budget',
    ]);
    const rows = await db.selectFrom('analytics_privacy_spends').selectAll().orderBy('id').execute();
    expect(
      rows.map((r) => [
        r.id,
        r.analyst_id,
        Number(r.epsilon_milli),
        Number(r.spent_at),
        Number(r.ledger_seq),
      ]),
    ).toEqual([
      ['q1', 'admin-a', 5000, 1_000, 3],
      ['q2', 'admin-b', 2500, 2_000, 7],
      ['q3', 'admin-b', 500, 9_000, 9],
    ]);
    // Before: each admin had spent within their own budget of 5. After: the hospital spent 7.5.
    expect(await spentInWindow(db, { from: 0, to: 5_000 })).toBe(7500);
    expect(await spentInWindow(db, { from: 0, to: 5_000 }, 'admin-b')).toBe(2500);
    expect(await spendByAnalyst(db, { from: 0, to: 10_000 })).toEqual([
      {
        analystId: 'admin-a',
        displayName: 'Ada',
        username: 'ada',
        spentMilli: 5000,
        queries: 1,
        lastSpentAt: 1_000,
      },
      {
        analystId: 'admin-b',
        displayName: null,
        username: null,
        spentMilli: 3000,
        queries: 2,
        lastSpentAt: 9_000,
      },
    ]);
    // The per-admin tables are gone (an older server fails closed instead of spending per admin).
    await expect(sql`select count(*) from analytics_spends`.execute(db)).rejects.toThrow();
    await expect(sql`select count(*) from analytics_budget_locks`.execute(db)).rejects.toThrow();
    // The hospital's lock row exists and can be taken.
    await withTransaction(db, (tx) => lockHospitalBudget(tx, 10_000));
    expect(await db.selectFrom('analytics_privacy_lock').select('name').execute()).toEqual([
      { name: 'hospital' },
    ]);
  });
});

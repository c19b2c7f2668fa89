import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/store/database.js';
import { AppError } from '../../src/app/errors.js';
import type { AuditEvent } from '../../src/app/audit/entry.js';
import { appendMany, event, openLedger, rows, type LedgerFixture } from './ledger-helpers.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('audit ledger and the caller’s transaction on %s', (dialect) => {
  let f: LedgerFixture;
  afterEach(async () => f?.t.dispose());

  it('an action whose transaction rolls back leaves no entry, and the chain continues after it', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 3);
    await f.db.schema.createTable('actions').addColumn('name', 'text').execute();
    const failed = withTransaction(f.db, async (tx) => {
      await sql`insert into actions (name) values ('doomed')`.execute(tx);
      const appended = await f.ledger.append(tx, event(3));
      expect(appended.seq).toBe(3);
      throw new Error('the action failed after its entry was appended');
    });
    await expect(failed).rejects.toThrow('the action failed');
    const left = await sql<{ n: number | string }>`select count(*) as n from actions`.execute(f.db);
    expect(Number(left.rows[0]!.n)).toBe(0);
    expect(await f.ledger.size(f.db)).toBe(3);
    expect(await f.ledger.verify(f.db)).toMatchObject({ ok: true, size: 3 });

    const next = await withTransaction(f.db, async (tx) => {
      await sql`insert into actions (name) values ('kept')`.execute(tx);
      return f.ledger.append(tx, event(4));
    });
    expect(next.seq).toBe(3);
    const all = await rows(f.db);
    expect(all.map((r) => Number(r.seq))).toEqual([0, 1, 2, 3]);
    expect(all[3]!.prev_hash).toBe(all[2]!.leaf_hash);
    expect(await f.ledger.verify(f.db)).toMatchObject({ ok: true, size: 4 });
  });

  it('appends with the bare database in a transaction of its own', async () => {
    f = await openLedger(dialect);
    const { seq } = await f.ledger.append(f.db, event(0));
    expect(seq).toBe(0);
    expect(await f.ledger.verify(f.db)).toMatchObject({ ok: true, size: 1 });
  });

  it('several appends in one transaction commit together', async () => {
    f = await openLedger(dialect);
    const seqs = await withTransaction(f.db, async (tx) => {
      const out = [];
      for (let i = 0; i < 5; i++) out.push((await f.ledger.append(tx, event(i))).seq);
      return out;
    });
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
    expect(await f.ledger.verify(f.db)).toMatchObject({ ok: true, size: 5 });
  });

  it.each([
    ['an unknown action', { action: 'record.peek' }],
    ['an unknown outcome', { outcome: 'maybe' }],
    ['an unknown role', { actor: { userId: 'u-1', role: 'janitor' } }],
    ['an actor without id', { actor: { role: 'doctor' } }],
    ['a target without id', { target: { type: 'record' } }],
    ['a target type with spaces', { target: { type: 'a record', id: 'r-1' } }],
    ['an id with a space', { patientId: 'p 1' }],
    ['an empty id', { patientId: '' }],
    ['details that are an array', { details: [1, 2] }],
    ['details holding undefined', { details: { a: undefined } }],
    ['details holding NaN', { details: { a: Number.NaN } }],
    ['details holding a Date', { details: { at: new Date(0) } }],
    ['details holding a lone surrogate', { details: { s: '\uD800' } }],
    ['oversized details', { details: { blob: 'x'.repeat(5000) } }],
  ])('refuses %s and writes nothing', async (_name, override) => {
    f = await openLedger(dialect);
    const bad = { ...event(1), ...override } as unknown as AuditEvent;
    const err = await f.ledger.append(f.db, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid_audit_event');
    expect(await f.ledger.size(f.db)).toBe(0);
  });
});

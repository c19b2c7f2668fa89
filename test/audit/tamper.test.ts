import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../src/app/audit/verify.js';
import { AppError } from '../../src/app/errors.js';
import type { Db } from '../../src/store/database.js';
import { appendMany, openLedger, raw, recomputedLeaf, rows, type LedgerFixture } from './ledger-helpers.js';
import { DIALECTS } from '../support/stores.js';

/**
 * Every attack here is raw SQL on the database, as by someone who holds the database but not the
 * keyring: each must be named by `verify` at its exact sequence number with the right kind.
 */
const SIZE = 40;
const CHECKPOINT_AT = 30;

async function expectFailure(f: LedgerFixture, kind: string, seq: number, options = {}): Promise<void> {
  const result: VerifyResult = await f.ledger.verify(f.db, options);
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (!result.ok) {
    expect({ kind: result.kind, seq: result.seq }, result.message).toEqual({ kind, seq });
    expect(result.message).toMatch(new RegExp(`\\b${seq}\\b`));
  }
}

/** Shifts entries ≥ k up by one (two steps: unique seq must hold after every row update). */
async function makeRoomAt(db: Db, k: number): Promise<void> {
  await raw(db, sql`update ledger_entries set seq = -seq - 1 where seq >= ${k}`);
  await raw(db, sql`update ledger_entries set seq = -seq where seq < 0`);
}

/** Rewrites the chain from `from` on as an attacker can: prev and leaf hashes, never the MAC. */
async function rechain(db: Db, from: number): Promise<void> {
  const all = await rows(db);
  let prev = all[from - 1]?.leaf_hash ?? '0'.repeat(64);
  for (const row of all.slice(from)) {
    const leaf = recomputedLeaf({ ...row, prev_hash: prev });
    await raw(
      db,
      sql`update ledger_entries set prev_hash = ${prev}, leaf_hash = ${leaf} where seq = ${row.seq}`,
    );
    prev = leaf;
  }
  await raw(db, sql`update ledger_head set size = ${all.length}, last_hash = ${prev}`);
}

async function forgedRowAt(db: Db, k: number): Promise<void> {
  await raw(
    db,
    sql`insert into ledger_entries (seq, time, actor_id, actor_role, action, target_type, target_id, patient_id, outcome, details, prev_hash, leaf_hash, mac)
        values (${k}, ${1_714_000_000_500}, ${'u-9'}, ${'admin'}, ${'record.read'}, ${'record'}, ${'r-x'}, ${'p-1'}, ${'success'}, ${'{}'}, ${'0'.repeat(64)}, ${'0'.repeat(64)}, ${randomBytes(32).toString('hex')})`,
  );
}

describe.each(DIALECTS)('audit ledger tampering on %s', (dialect) => {
  let f: LedgerFixture;
  afterEach(async () => f?.t.dispose());

  async function setup(): Promise<void> {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, CHECKPOINT_AT);
    await f.ledger.checkpoint(f.db);
    await appendMany(f.ledger, f.db, SIZE - CHECKPOINT_AT, CHECKPOINT_AT);
  }

  it('a clean log verifies, held to its checkpoint, in batches of any size', async () => {
    await setup();
    const progress: number[] = [];
    const result = await f.ledger.verify(f.db, { batchSize: 7, onProgress: (done) => progress.push(done) });
    expect(result).toMatchObject({ ok: true, size: SIZE, checkpointsChecked: 1 });
    if (result.ok) expect(result.checkpoint?.treeSize).toBe(CHECKPOINT_AT);
    expect(progress).toEqual([7, 14, 21, 28, 35, 40]);
  });

  it.each([
    ['action', sql`update ledger_entries set action = 'record.create' where seq = 17`],
    ['details', sql`update ledger_entries set details = '{"n":18}' where seq = 17`],
    ['actor', sql`update ledger_entries set actor_id = 'u-0' where seq = 17`],
    ['patient', sql`update ledger_entries set patient_id = 'p-9' where seq = 17`],
    ['time', sql`update ledger_entries set time = time + 1 where seq = 17`],
    ['outcome', sql`update ledger_entries set outcome = 'failure' where seq = 17`],
    ['stored hash', sql`update ledger_entries set leaf_hash = prev_hash where seq = 17`],
    ['prev_hash', sql`update ledger_entries set prev_hash = leaf_hash where seq = 17`],
  ])('names a change to one column (%s) of entry 17 as content_changed at 17', async (_name, query) => {
    await setup();
    await raw(f.db, query);
    await expectFailure(f, 'content_changed', 17);
  });

  it('names a deleted entry (a gap) at its seq', async () => {
    await setup();
    await raw(f.db, sql`delete from ledger_entries where seq = 12`);
    await expectFailure(f, 'deleted', 12);
  });

  it('names a deleted entry whose successors were renumbered to close the gap', async () => {
    await setup();
    await raw(f.db, sql`delete from ledger_entries where seq = 12`);
    await raw(f.db, sql`update ledger_entries set seq = -seq + 1 where seq > 12`);
    await raw(f.db, sql`update ledger_entries set seq = -seq where seq < 0`);
    await expectFailure(f, 'deleted', 12);
  });

  it('names an inserted entry with a recomputed hash chain (no valid MAC) at its seq', async () => {
    await setup();
    await makeRoomAt(f.db, 21);
    await forgedRowAt(f.db, 21);
    await rechain(f.db, 21);
    await expectFailure(f, 'inserted', 21);
  });

  it('names a forged entry appended at the end with a valid chain as inserted', async () => {
    await setup();
    await forgedRowAt(f.db, SIZE);
    await rechain(f.db, SIZE);
    await expectFailure(f, 'inserted', SIZE);
  });

  it('names two swapped entries as reordered at the first of them', async () => {
    await setup();
    await raw(f.db, sql`update ledger_entries set seq = -1 where seq = 9`);
    await raw(f.db, sql`update ledger_entries set seq = 9 where seq = 26`);
    await raw(f.db, sql`update ledger_entries set seq = 26 where seq = -1`);
    await expectFailure(f, 'reordered', 9);
  });

  it('names a tail truncated after a checkpoint, even with the head rewound to match', async () => {
    await setup();
    await raw(f.db, sql`delete from ledger_entries where seq >= 25`);
    await raw(f.db, sql`delete from ledger_nodes where (idx + 1) * power(2, level) > 25`);
    const last = (await rows(f.db)).at(-1)!;
    await raw(f.db, sql`update ledger_head set size = 25, last_hash = ${last.leaf_hash}`);
    await expectFailure(f, 'truncated', 25);
  });

  it('names a truncated tail by the head alone when no checkpoint covers it', async () => {
    await setup();
    await raw(f.db, sql`delete from ledger_entries where seq >= 35`);
    await expectFailure(f, 'truncated', 35);
  });

  it('catches a rolled-back and regrown log by its checkpoint, from the last vouched seq', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 10);
    await f.ledger.checkpoint(f.db); // size 10
    await appendMany(f.ledger, f.db, 10, 10);
    await f.ledger.checkpoint(f.db); // size 20
    // Roll back to 15 (entries, nodes and head), then let the ledger append genuinely again.
    await raw(f.db, sql`delete from ledger_entries where seq >= 15`);
    await raw(f.db, sql`delete from ledger_nodes where (idx + 1) * power(2, level) > 15`);
    const last = (await rows(f.db)).at(-1)!;
    await raw(f.db, sql`update ledger_head set size = 15, last_hash = ${last.leaf_hash}`);
    await appendMany(f.ledger, f.db, 10, 100);
    await expectFailure(f, 'checkpoint_mismatch', 10);
  });

  it('refuses a stored checkpoint that is not signed by the ledger key', async () => {
    await setup();
    await raw(
      f.db,
      sql`update ledger_checkpoints set note = replace(note, '\n30\n', '\n31\n'), tree_size = 31`,
    );
    await expectFailure(f, 'checkpoint_mismatch', 0);
  });

  it('holds the log to a checkpoint kept outside the database after the stored ones were deleted', async () => {
    await setup();
    const kept = (await f.ledger.latestCheckpoint(f.db))!.note;
    await raw(f.db, sql`delete from ledger_checkpoints`);
    await raw(f.db, sql`delete from ledger_entries where seq >= 22`);
    const last = (await rows(f.db)).at(-1)!;
    await raw(f.db, sql`update ledger_head set size = 22, last_hash = ${last.leaf_hash}`);
    expect((await f.ledger.verify(f.db)).ok).toBe(true); // nothing left in the database says otherwise
    await expectFailure(f, 'truncated', 22, { checkpoints: [kept] });
  });

  it('refuses an outside checkpoint that is not signed by the ledger key', async () => {
    await setup();
    const kept = (await f.ledger.latestCheckpoint(f.db))!.note.replace('\n30\n', '\n29\n');
    await expect(f.ledger.verify(f.db, { checkpoints: [kept] })).rejects.toBeInstanceOf(AppError);
  });

  it('names a wrong stored tree node as node_mismatch at the entry that completes it', async () => {
    await setup();
    await raw(f.db, sql`update ledger_nodes set hash = ${'ab'.repeat(32)} where level = 2 and idx = 3`);
    await expectFailure(f, 'node_mismatch', 15);
  });

  it('names a missing stored tree node as node_mismatch', async () => {
    await setup();
    await raw(f.db, sql`delete from ledger_nodes where level = 3 and idx = 2`);
    await expectFailure(f, 'node_mismatch', 23);
  });
});

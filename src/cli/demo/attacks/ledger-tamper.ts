import { randomBytes } from 'node:crypto';
import { leafHashHexOfText } from '../../../crypto/merkle-hex.js';
import type { VerifyAnswer } from '../../../contract/api/audit.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';
import { encodeEntry } from '../../../app/audit/index.js';

/** The admin's verification over HTTP (POST /api/v1/audit/verify): what the ledger says now. */
async function verify(world: DemoWorld): Promise<VerifyAnswer> {
  return world.as(world.member('admin').token).call('verifyLedger');
}

const show = (v: VerifyAnswer): string =>
  v.ok ? `verifies (${v.size} entries)` : `FAILS at entry ${v.seq}: ${v.kind}`;

/**
 * An insider with database access covers their tracks in the audit ledger: edits who read a
 * record, deletes the read, and appends a forged entry with a correctly recomputed hash chain.
 * Each time the admin's verification must name the exact entry. Every change is undone right
 * after its verification (the original rows are kept aside), and the ledger verifies again.
 */
export const ledgerTamper: Attack = {
  id: 'ledger-tamper',
  title: 'Ledger tampering: edit, delete and insert entries with raw SQL',
  async run(world: DemoWorld): Promise<AttackResult> {
    const db = world.app.store.db;
    const p = world.needPatient();
    const head = await db.selectFrom('ledger_head').selectAll().executeTakeFirstOrThrow();
    const target = await db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('action', '=', 'record.read')
      .where('patient_id', '=', p.id)
      .where('seq', '<', head.size - 1)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const k = target.seq;
    world.say(`target: entry ${k}, a record.read of the patient by user ${target.actor_id ?? '?'}`);

    await db
      .updateTable('ledger_entries')
      .set({ actor_id: world.member('doctor2').id })
      .where('seq', '=', k)
      .execute();
    const edited = await verify(world).finally(() =>
      db.updateTable('ledger_entries').set({ actor_id: target.actor_id }).where('seq', '=', k).execute(),
    );
    world.say(`UPDATE ledger_entries SET actor_id = <another doctor> WHERE seq = ${k} → ${show(edited)}`);

    await db.deleteFrom('ledger_entries').where('seq', '=', k).execute();
    const deleted = await verify(world).finally(() =>
      db.insertInto('ledger_entries').values(target).execute(),
    );
    world.say(`DELETE FROM ledger_entries WHERE seq = ${k} → ${show(deleted)}`);

    const forged = {
      ...target,
      seq: head.size,
      time: Date.now(),
      actor_id: world.member('admin').id,
      actor_role: 'admin',
      action: 'keys.rotate',
      target_type: null,
      target_id: null,
      patient_id: null,
      details: '{}',
      prev_hash: head.last_hash,
      mac: randomBytes(32).toString('hex'),
    };
    const leaf = leafHashHexOfText(encodeEntry(forged, head.last_hash));
    await db
      .insertInto('ledger_entries')
      .values({ ...forged, leaf_hash: leaf })
      .execute();
    await db
      .updateTable('ledger_head')
      .set({ size: head.size + 1, last_hash: leaf })
      .execute();
    const inserted = await verify(world).finally(async () => {
      await db.deleteFrom('ledger_entries').where('seq', '=', head.size).execute();
      await db.updateTable('ledger_head').set({ size: head.size, last_hash: head.last_hash }).execute();
    });
    world.say(`INSERT a forged entry ${head.size} with a recomputed hash chain and head → ${show(inserted)}`);
    const clean = await verify(world);
    world.say(`after restoring the original rows → ${show(clean)}`);
    const named = (v: VerifyAnswer, seq: number): boolean => !v.ok && v.seq === seq;
    return verdictOf([
      [named(edited, k), `edit named at entry ${k}`],
      [named(deleted, k), `deletion named at entry ${k}`],
      [named(inserted, head.size), `insertion named at entry ${head.size}`],
      [clean.ok, 'restored ledger verifies'],
    ]);
  },
};

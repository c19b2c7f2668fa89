import type { VerifyAnswer } from '../../../contract/api/audit.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';

/** How many of the newest entries the insider deletes (the penetration test's figure). */
const DELETED = 125;

const show = (v: VerifyAnswer): string =>
  v.ok ? `verifies (${v.size} entries)` : `FAILS at entry ${v.seq}: ${v.kind}: ${v.message}`;

/**
 * An insider (a doctor with database access) reads a patient's diagnosis 130 times, then deletes
 * the newest 125 ledger entries — the traces of those reads — and fixes everything inside the database that would tell: the head row, the tree
 * nodes over the deleted entries and the checkpoint rows that covered them. The database alone
 * still verifies; the admin's verification must not, because the server had already signed a
 * checkpoint by itself and appended it to the checkpoint file outside the database.
 * Every row is put back afterwards and the ledger verifies again.
 */
export const ledgerTruncation: Attack = {
  id: 'ledger-truncation',
  title: 'Ledger truncation: delete the newest 125 entries and fix the head row',
  async run(world: DemoWorld): Promise<AttackResult> {
    const db = world.app.store.db;
    const asAdmin = world.as(world.member('admin').token);
    // The insider first does what they will want to hide: reads the patient's diagnosis again and
    // again (each read is a ledger entry), more times than they will delete.
    const doctor = world.as(world.member('doctor').token);
    const recordId = world.needRecords().diagnosisId;
    for (let i = 0; i < DELETED + 5; i++) await doctor.call('getRecord', { params: { id: recordId } });
    // The server's own task signs once the log grew by MEDVAULT_CHECKPOINT_EVERY_ENTRIES (or the
    // period passed) and publishes outside the database; run it now rather than wait for its poll.
    await world.app.audit.autoCheckpoints.tick();
    const head = await db.selectFrom('ledger_head').selectAll().executeTakeFirstOrThrow();
    const keep = head.size - DELETED;
    const published = await world.app.audit.ledger.latestCheckpoint(db);
    world.say(
      `the doctor read the diagnosis ${DELETED + 5} times; the server had signed a checkpoint of ${published?.treeSize ?? 0} entries by itself and appended it to ${world.app.config.checkpointFile}`,
    );

    const entries = await db.selectFrom('ledger_entries').selectAll().where('seq', '>=', keep).execute();
    const nodes = (await db.selectFrom('ledger_nodes').selectAll().execute()).filter(
      (n) => (n.idx + 1) * 2 ** n.level > keep,
    );
    const checkpoints = await db
      .selectFrom('ledger_checkpoints')
      .selectAll()
      .where('tree_size', '>', keep)
      .execute();
    const last = await db
      .selectFrom('ledger_entries')
      .select('leaf_hash')
      .where('seq', '=', keep - 1)
      .executeTakeFirstOrThrow();

    const restore = async (): Promise<void> => {
      await db.insertInto('ledger_entries').values(entries).execute();
      for (const n of nodes) await db.insertInto('ledger_nodes').values(n).execute();
      await db.updateTable('ledger_head').set({ size: head.size, last_hash: head.last_hash }).execute();
      // The id is generated (an identity column on PostgreSQL): the rows come back with new ids.
      const signed = checkpoints.map(({ id: _id, ...row }) => row);
      if (signed.length > 0) await db.insertInto('ledger_checkpoints').values(signed).execute();
    };
    let databaseOnly;
    let truncated: VerifyAnswer;
    try {
      await db.deleteFrom('ledger_entries').where('seq', '>=', keep).execute();
      for (const n of nodes) {
        await db.deleteFrom('ledger_nodes').where('level', '=', n.level).where('idx', '=', n.idx).execute();
      }
      await db.deleteFrom('ledger_checkpoints').where('tree_size', '>', keep).execute();
      await db.updateTable('ledger_head').set({ size: keep, last_hash: last.leaf_hash }).execute();
      // What the database alone says (the check `audit verify` was limited to before).
      databaseOnly = await world.app.audit.ledger.verify(db);
      truncated = await asAdmin.call('verifyLedger');
    } finally {
      await restore();
    }
    world.say(
      `DELETE the newest ${DELETED} entries, their tree nodes and checkpoint rows; UPDATE ledger_head to size ${keep}`,
    );
    world.say(`the database alone: ${databaseOnly.ok ? `verifies (${databaseOnly.size} entries)` : 'fails'}`);
    world.say(`the admin's verification, held to the checkpoint file → ${show(truncated)}`);
    const clean = await asAdmin.call('verifyLedger');
    world.say(`after restoring the rows → ${show(clean)}`);
    return verdictOf([
      [
        !truncated.ok && truncated.kind === 'truncated' && truncated.seq === keep,
        `truncation named at entry ${keep}`,
      ],
      [clean.ok, 'restored ledger verifies'],
    ]);
  },
};

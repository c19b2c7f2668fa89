import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCheckpoint, signCheckpoint } from '../../src/crypto/checkpoint.js';
import { AppError } from '../../src/app/errors.js';
import { appendMany, openLedger, openSecondServer, type LedgerFixture } from './ledger-helpers.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('handing the checkpoint signing key over on %s', (dialect) => {
  let f: LedgerFixture;
  afterEach(async () => f?.world.close());

  it('keeps old checkpoints verifying, signs new ones with the new key, and ledgers the handover', async () => {
    f = await openLedger(dialect);
    const { ledger, db } = f;
    await appendMany(ledger, db, 5);
    const before = await ledger.checkpoint(db);
    const firstKey = ledger.publicKey().verifierKey;

    const handed = await ledger.handOverSigningKey(db, null);
    expect(handed).toMatchObject({ generation: 2, treeSize: 5 });
    expect(ledger.publicKey().verifierKey).toBe(handed.verifierKey);
    expect(handed.verifierKey).not.toBe(firstKey);
    expect(ledger.origin).toBe(before.note.split('\n')[0]); // the log keeps its name

    await appendMany(ledger, db, 3, 100);
    const after = await ledger.checkpoint(db);
    expect(ledger.keyChain.verify(before.note).treeSize).toBe(before.treeSize);
    expect(ledger.keyChain.verify(after.note).treeSize).toBe(after.treeSize);

    const result = await ledger.verify(db, { checkpoints: [before.note] });
    expect(result).toMatchObject({ ok: true, checkpointsChecked: 3 });
    const { entries } = await ledger.entries(db, { action: 'keys.handover' });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.details).toMatchObject({
      generation: 2,
      treeSize: 5,
      verifierKey: handed.verifierKey,
    });
    expect(await ledger.handovers(db)).toEqual([handed.statement]);

    // Another server, opened before the handover, follows it before it signs.
    const second = await openSecondServer(f);
    await appendMany(second.ledger, second.store.db, 1, 200);
    const theirs = await second.ledger.checkpoint(second.store.db);
    expect(theirs.note).toContain(`\u2014 ${ledger.origin} `);
    expect(ledger.keyChain.verify(theirs.note).treeSize).toBe(theirs.treeSize);
  });

  it('refuses a checkpoint signed by a key that was never handed over', async () => {
    f = await openLedger(dialect);
    const { ledger, db } = f;
    await appendMany(ledger, db, 4);
    await ledger.handOverSigningKey(db, null);
    const mallory = generateKeyPairSync('ed25519').privateKey;
    const forged = signCheckpoint(
      formatCheckpoint({
        origin: ledger.origin,
        treeSize: 2,
        rootHash: Buffer.alloc(32, 1),
        timestamp: 1_714_000_000,
      }),
      ledger.origin,
      mallory,
    );
    await expect(ledger.verify(db, { checkpoints: [forged] })).rejects.toThrow(
      /not validly signed by this ledger's key/,
    );
  });

  it('stops at a handover statement that was altered in the database', async () => {
    f = await openLedger(dialect);
    const { ledger, db } = f;
    await ledger.handOverSigningKey(db, null);
    const row = await db.selectFrom('ledger_key_handovers').selectAll().executeTakeFirstOrThrow();
    await db
      .updateTable('ledger_key_handovers')
      .set({ statement: row.statement.replace(/size \d+/, 'size 0\n') })
      .execute();
    await db
      .insertInto('ledger_key_handovers')
      .values({ ...row, generation: 3 })
      .execute();
    const second = await openSecondServer(f).catch((err: unknown) => err);
    expect(second).toBeInstanceOf(AppError);
    expect((second as AppError).message).toMatch(/do not form a chain/);
  });
});

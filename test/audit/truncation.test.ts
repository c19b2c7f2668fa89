import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { composeAudit, type AuditServices } from '../../src/app/audit/index.js';
import { readCheckpointNotes } from '../../src/app/audit/checkpoint-file.js';
import { parseCosignerKey, verifyCosignature } from '../../src/crypto/cosignature.js';
import type { Db } from '../../src/store/database.js';
import { TestClock } from '../support/clock.js';
import { DIALECTS, tempDir } from '../support/stores.js';
import { startTestWitness } from '../support/witness-server.js';
import { openTestWorld, type TestWorld } from '../support/world.js';
import { appendMany, raw, rows } from './ledger-helpers.js';

/**
 * Issue 15, finding 7: a database copy with its last 125 entries deleted and the head row fixed
 * passed `audit verify`, because checkpoints were signed only on request. Now the server signs
 * checkpoints by itself and publishes them outside the database (checkpoint file, witness), and
 * verification holds the database to them.
 */
const WITNESS = 'witness.test/w1';
const EVERY_ENTRIES = 100;
const EVERY_SECONDS = 60;

/** What an attacker holding the database does: delete the newest entries, then fix everything inside it. */
async function truncate(db: Db, keep: number): Promise<void> {
  await raw(db, sql`delete from ledger_entries where seq >= ${keep}`);
  await raw(db, sql`delete from ledger_nodes where (idx + 1) * power(2, level) > ${keep}`);
  await raw(db, sql`delete from ledger_checkpoints where tree_size > ${keep}`);
  const last = (await rows(db)).at(-1)!;
  await raw(db, sql`update ledger_head set size = ${keep}, last_hash = ${last.leaf_hash}`);
}

describe.each(DIALECTS)('ledger truncation caught from outside the database on %s', (dialect) => {
  let w: TestWorld;
  let dir: string;
  let file: string;
  let clock: TestClock;
  let witness: FastifyInstance | undefined;
  let witnessKey: string;

  afterEach(async () => {
    await witness?.close();
    witness = undefined;
    await w?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A world whose checkpoint file is in a folder of its own, and a real witness over HTTP. */
  async function open(): Promise<AuditServices> {
    dir = tempDir();
    file = path.join(dir, 'elsewhere', 'checkpoints');
    clock = new TestClock(1_714_000_000_000);
    w = await openTestWorld({ db: dialect, clock, settings: { MEDVAULT_CHECKPOINT_FILE: file } });
    const started = await startTestWitness({
      name: WITNESS,
      privateKey: generateKeyPairSync('ed25519').privateKey,
      logs: [w.audit.ledger.publicKey().verifierKey],
      stateFile: path.join(dir, 'witness.json'),
    });
    witness = started.server;
    witnessKey = started.key;
    // The audit context as `serve` composes it with MEDVAULT_WITNESSES set to this witness.
    return composeAudit({
      db: w.db,
      keyring: w.keyring,
      clock: () => clock.now,
      checkpoints: {
        everyEntries: EVERY_ENTRIES,
        everySeconds: EVERY_SECONDS,
        file,
        witnesses: [{ url: started.url, key: witnessKey }],
      },
    });
  }

  it('passed before: with only the database, a tail deleted with its head row fixed verifies', async () => {
    const audit = await open();
    await appendMany(audit.ledger, w.db, 300);
    await audit.ledger.checkpoint(w.db);
    await truncate(w.db, 175);
    expect((await audit.ledger.verify(w.db)).ok).toBe(true);
  });

  it('now fails naming truncation: the last 125 of 300 entries deleted, head, nodes and checkpoints fixed', async () => {
    const audit = await open();
    await appendMany(audit.ledger, w.db, 300);
    const tick = await audit.autoCheckpoints.tick();
    expect(tick.signed?.treeSize).toBe(300);
    expect(tick.published).toBe(300);
    expect(tick.cosigned.get(WITNESS)).toBe(300);

    const clean = await audit.verification.verify();
    expect(clean).toMatchObject({ ok: true, size: 300 });
    expect(clean.witnessed).toEqual([{ witness: WITNESS, treeSize: 300, timestamp: expect.any(Number) }]);

    await truncate(w.db, 175);
    const result = await audit.verification.verify();
    expect(result).toMatchObject({ ok: false, kind: 'truncated', seq: 175 });
    if (!result.ok) expect(result.message).toMatch(/log ends after 175 entries but .* covers 300/);
    expect(result.outside.map((o) => o.treeSize)).toEqual([300, 300]);
    expect(result.witnessed[0]?.treeSize).toBe(300);
  });

  it('catches it from the witness alone when the checkpoint file is gone too', async () => {
    const audit = await open();
    await appendMany(audit.ledger, w.db, 300);
    await audit.autoCheckpoints.tick();
    fs.rmSync(file);
    await truncate(w.db, 175);
    const result = await audit.verification.verify();
    expect(result).toMatchObject({ ok: false, kind: 'truncated', seq: 175 });
    if (!result.ok) expect(result.message).toContain(`cosigned by ${WITNESS}`);
  });

  it('catches a rolled-back log that grew again past the checkpoint: another root', async () => {
    const audit = await open();
    await appendMany(audit.ledger, w.db, 300);
    await audit.autoCheckpoints.tick();
    await truncate(w.db, 175);
    await appendMany(audit.ledger, w.db, 200, 1000); // 375 entries, not extending the published 300
    const result = await audit.verification.verify();
    expect(result).toMatchObject({ ok: false, kind: 'checkpoint_mismatch' });
    if (!result.ok) expect(result.message).toMatch(/rolled-back or rewritten/);
    // The running server sees it too: the witness refuses and the task reports it.
    const said: string[] = [];
    audit.autoCheckpoints.start({ report: (line) => said.push(line), pollMs: 3_600_000 });
    const tick = await audit.autoCheckpoints.tick(true);
    await audit.autoCheckpoints.stop();
    expect(tick.cosigned.size).toBe(0);
    expect(said.join('\n')).toMatch(/ALERT: .*witness\.test\/w1.*rewritten or forked/);
  });

  it('signs by itself every N entries or T seconds, only when the log grew; the file is append-only, 0600', async () => {
    const audit = await open();
    await appendMany(audit.ledger, w.db, 10);
    expect((await audit.autoCheckpoints.tick()).signed?.treeSize).toBe(10); // the first one at once
    expect((await audit.autoCheckpoints.tick()).signed).toBeNull(); // nothing new
    await appendMany(audit.ledger, w.db, EVERY_ENTRIES - 1, 10);
    expect((await audit.autoCheckpoints.tick()).signed).toBeNull(); // 99 new, 0 s later: not due
    await appendMany(audit.ledger, w.db, 1, 200);
    expect((await audit.autoCheckpoints.tick()).signed?.treeSize).toBe(10 + EVERY_ENTRIES);
    await appendMany(audit.ledger, w.db, 3, 300);
    clock.advance(EVERY_SECONDS * 1000 - 1);
    expect((await audit.autoCheckpoints.tick()).signed).toBeNull();
    clock.advance(1);
    expect((await audit.autoCheckpoints.tick()).signed?.treeSize).toBe(113);
    clock.advance(10 * EVERY_SECONDS * 1000);
    expect((await audit.autoCheckpoints.tick()).signed).toBeNull(); // old, but the log did not grow

    const notes = readCheckpointNotes(file);
    const key = parseCosignerKey(witnessKey);
    // Each checkpoint once as signed, then once with the witness's cosignature.
    expect(notes.map((n) => n.split('\n')[1])).toEqual(['10', '10', '110', '110', '113', '113']);
    expect(verifyCosignature(notes[5]!, key).witness).toBe(WITNESS);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
  });

  it('signs and publishes a last checkpoint when the server stops', async () => {
    const audit = await open();
    audit.autoCheckpoints.start({ pollMs: 3_600_000 });
    await appendMany(audit.ledger, w.db, 7);
    await audit.autoCheckpoints.stop();
    expect(readCheckpointNotes(file).map((n) => n.split('\n')[1])).toEqual(['7', '7']);
  });
});

import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../../src/store/database.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { ROOT } from '../support/cli.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { event } from './ledger-helpers.js';

const READ_WORKER = path.join(ROOT, 'test/audit/read-worker.ts');

/** A patient on the world doctor's care team, with `n` records. */
async function patientWithRecords(w: StaffedWorld, n: number): Promise<string[]> {
  const { patientId } = await w.identity.patients.register(w.staff.registrar, registration());
  await w.sharing.careTeams.assign(w.staff.registrar, patientId, w.staff.doctor.userId);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await w.records.records.create(w.staff.doctor, patientId, {
      type: 'diagnosis',
      title: `Diagnosis ${i}`,
      body: { icd10: 'J45.909', text: `Asthma ${i}` },
    });
    ids.push(r.id);
  }
  return ids;
}

/** record.read entries per record id. */
async function readEntries(db: Db): Promise<Map<string, number>> {
  const { rows } = await sql<{ target_id: string; n: number | string }>`
    select target_id, count(*) as n from ledger_entries
    where action = 'record.read' and target_type = 'record' group by target_id`.execute(db);
  return new Map(rows.map((r) => [r.target_id, Number(r.n)]));
}

describe.each(DIALECTS)('ledger group commit on %s', (dialect) => {
  let w: StaffedWorld | undefined;
  afterEach(async () => {
    await w?.dispose();
    w = undefined;
  });

  it('200 concurrent reads: 200 entries, written in fewer transactions than reads, and the log verifies', async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    const ids = await patientWithRecords(w, 10);
    const before = { ...w.audit.ledger.groupCommitStats };
    const sizeBefore = await w.audit.ledger.size(w.db);
    const reads = await Promise.all(
      Array.from({ length: 200 }, (_, i) => w!.records.records.get(w!.staff.doctor, ids[i % 10]!)),
    );
    expect(reads).toHaveLength(200);
    expect(await w.audit.ledger.size(w.db)).toBe(sizeBefore + 200);
    const perRecord = await readEntries(w.db);
    for (const id of ids) expect(perRecord.get(id)).toBe(20);
    const stats = w.audit.ledger.groupCommitStats;
    expect(stats.items - before.items).toBe(200);
    // Grouped: many reads shared a transaction (without group commit: one transaction per read).
    expect(stats.groups - before.groups).toBeLessThan(100);
    expect(stats.largest).toBeGreaterThan(1);
    expect(await w.audit.ledger.verify(w.db)).toMatchObject({ ok: true, size: sizeBefore + 200 });
  }, 120_000);

  it('an append inside a transaction stays in it: it rolls back with the action, never grouped', async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    const { ledger } = w.audit;
    const before = { ...ledger.groupCommitStats };
    const size = await ledger.size(w.db);
    await expect(
      w.db.transaction().execute(async (tx) => {
        await ledger.append(tx, event(1));
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await ledger.size(w.db)).toBe(size);
    expect(ledger.groupCommitStats.groups).toBe(before.groups);
    // A standalone append is grouped and answered once durable: a fresh handle sees it.
    const { seq } = await ledger.append(w.db, event(2));
    expect(seq).toBe(size);
    expect(ledger.groupCommitStats.groups).toBe(before.groups + 1);
    const second = await w.secondServer();
    expect(await second.audit.ledger.entry(second.store.db, seq)).toMatchObject({
      seq,
      action: event(2).action,
    });
  }, 60_000);

  it('a failed group fails every caller in it and leaves no entry; the next group appends', async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    const { ledger } = w.audit;
    await ledger.append(w.db, event(0));
    const size = await ledger.size(w.db);
    // Wind the head back one entry: the group's insert then collides with the stored entry.
    await sql`update ledger_head set size = size - 1`.execute(w.db);
    const results = await Promise.allSettled([ledger.append(w.db, event(1)), ledger.append(w.db, event(2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await sql`update ledger_head set size = size + 1`.execute(w.db);
    expect(await ledger.size(w.db)).toBe(size);
    const { seq } = await ledger.append(w.db, event(3));
    expect(seq).toBe(size);
    expect(await ledger.verify(w.db)).toMatchObject({ ok: true, size: size + 1 });
  }, 60_000);

  it('a server killed mid-stream loses no answered read: every printed read has its entry', async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    const ids = await patientWithRecords(w, 20);
    const counts = await readEntries(w.db);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        READ_WORKER,
        JSON.stringify({
          dataDir: w.t.dataDir,
          databaseUrl: w.t.databaseUrl,
          masterKey: TEST_MASTER_KEY_B64,
          doctor: w.staff.doctor.actor,
          recordIds: ids,
          concurrency: 50,
          now: w.clock.read(),
        }),
      ],
      { cwd: ROOT },
    );
    const answered = new Map<string, number>();
    let total = 0;
    let partial = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('close', (code, signal) => resolve(signal ?? code)),
    );
    // Kill it at an arbitrary point once plenty of reads were answered (several groups' worth).
    const target = 600 + Math.floor(Math.random() * 400);
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const id of lines) {
          answered.set(id, (answered.get(id) ?? 0) + 1);
          total++;
        }
        if (total >= target) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      void exited.then((how) => reject(new Error(`read worker ended (${String(how)}) early: ${err}`)));
    });
    expect(await exited).toBe('SIGKILL');
    const after = await readEntries(w.db);
    for (const [id, n] of answered) {
      // Every answered read is in the ledger (entries of reads in flight at the kill may be too).
      expect((after.get(id) ?? 0) - (counts.get(id) ?? 0)).toBeGreaterThanOrEqual(n);
    }
    expect(await w.audit.ledger.verify(w.db)).toMatchObject({ ok: true });
  }, 180_000);
});

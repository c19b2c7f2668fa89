import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registration } from '../support/people.js';
import { DIALECTS, tempDir } from '../support/stores.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { runCli } from '../support/cli.js';
import { giveRecordKeyOf } from '../support/tamper.js';

/**
 * `medvault search reindex` (issue 20, point 5): records indexed before prefix search gain the
 * tokens a new record gets, only tokens are written, and a record that fails its check is skipped.
 */
describe.each(DIALECTS)('search re-index (%s)', (dialect) => {
  let w: StaffedWorld;
  let p: string;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    p = (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
    await w.sharing.careTeams.assign(w.staff.registrar, p, w.staff.doctor.userId);
  });
  afterEach(async () => {
    await w.dispose();
  });

  const note = (text: string) =>
    w.records.records.create(w.staff.doctor, p, {
      type: 'clinical_note',
      title: 'Follow-up',
      body: { text },
    });
  const found = async (keyword: string) =>
    (await w.records.search.search(w.staff.doctor, { keyword })).hits.map((h) => h.recordId);
  const tokensOf = async (id: string) =>
    (
      await w.db
        .selectFrom('search_index')
        .select('token')
        .where('record_id', '=', id)
        .orderBy('token')
        .execute()
    ).map((r) => r.token.toString('hex'));

  it('gives an old record its prefix tokens back; a re-run changes nothing; one ledger entry with counts', async () => {
    const a = await note('Asthma worse at night, inhaler technique reviewed.');
    const b = await note('Sprained ankle, rest and ice.');
    const fresh = await tokensOf(a.id);
    // As written before prefix search: only the title's phrase token (here: none at all).
    await w.db.deleteFrom('search_index').execute();
    expect(await found('asthm')).toEqual([]);

    const result = await w.records.reindexSearch({ batchSize: 1 });
    expect(result).toEqual({ reindexed: 2, skipped: 0 });
    expect(await found('asthm')).toEqual([a.id]);
    expect(await found('ankl')).toEqual([b.id]);
    expect(await tokensOf(a.id)).toEqual(fresh);

    await w.records.reindexSearch();
    expect(await tokensOf(a.id)).toEqual(fresh);
    const entries = w.recorder.entries.filter((e) => e.action === 'search.reindex');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      actor: null,
      patientId: null,
      details: { reindexed: 2, skipped: 0 },
    });
    // Tokens only: no word of the note is stored in clear.
    const all = await w.db.selectFrom('search_index').select('token').execute();
    expect(all.every((r) => !r.token.toString('latin1').includes('asthm'))).toBe(true);
  });

  it('skips a record whose key was swapped (counted), leaves its tokens, and indexes the rest', async () => {
    const a = await note('Asthma review.');
    const b = await note('Ankle review.');
    const before = await tokensOf(a.id);
    await giveRecordKeyOf(w.db, a.id, b.id);
    expect(await w.records.reindexSearch()).toEqual({ reindexed: 1, skipped: 1 });
    expect(await tokensOf(a.id)).toEqual(before);
    expect(await found('ankl')).toEqual([b.id]);
  });
});

describe('medvault search reindex (CLI)', () => {
  it('says what it does in --help and re-indexes a data folder with a progress report', async () => {
    const help = await runCli(['search', 'reindex', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/rebuild the search tokens of every record/);
    const dir = tempDir();
    const r = await runCli(['search', 'reindex', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Re-indexing 0 records/);
    expect(r.stdout).toMatch(/Re-indexed 0 records in [\d.]+ s\./);
  });
});

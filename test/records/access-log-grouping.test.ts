import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessLogEntry } from '../../src/app/records/access-log.js';
import { rejectsWith } from '../support/assertions.js';
import { registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';

const HOUR = 3_600_000;

/**
 * The patient's access history groups alike entries of one day into one line with a count
 * (issue 15, finding 6), on the server: the ledger keeps every entry, the view stays readable,
 * and paging neither splits nor repeats a group.
 */
describe.each(DIALECTS)('access history grouping (%s)', (dialect) => {
  let w: StaffedWorld;
  let p: string;
  beforeEach(async () => {
    // 2030-01-01T00:00Z; every test starts at 08:00 that day.
    w = await openTestWorld({ db: dialect, staff: true });
    w.clock.advance(8 * HOUR);
    p = (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
    await w.sharing.careTeams.assign(w.staff.registrar, p, w.staff.doctor.userId);
  });
  afterEach(async () => {
    await w.dispose();
  });

  const asPatient = () => w.as({ userId: p, role: 'patient' });
  const history = (query: { cursor?: string; limit?: number; utcOffset?: number } = {}) =>
    w.records.accessLog.list(asPatient(), p, query);
  const line = (e: AccessLogEntry) => `${e.actorRole}:${e.action}×${e.count}`;

  it('14 list reads by one doctor in a day are ONE line of 14 (first and last time); the ledger keeps 14', async () => {
    const start = w.clock.now;
    for (let i = 0; i < 14; i++) {
      await w.identity.patientDirectory.list(w.staff.doctor);
      w.clock.advance(30 * 60_000);
    }
    const { entries } = await history();
    expect(entries.map(line)).toEqual([
      'doctor:patient.listed×14',
      'registrar:careteam.assign×1',
      'registrar:enrolment.issue×1', // the enrolment code handed out at registration
      'registrar:patient.register×1',
    ]);
    const [listed] = entries;
    expect(listed).toMatchObject({
      actorId: w.staff.doctor.userId,
      relation: 'care_team',
      firstTime: start,
      time: start + 13 * 30 * 60_000,
    });
    expect(listed!.seq - listed!.firstSeq).toBe(13);
    const inLedger = await w.audit.ledger.entries(
      w.db,
      { patientId: p, action: 'patient.listed' },
      { limit: 50 },
    );
    expect(inLedger.entries).toHaveLength(14);
  });

  it('keeps apart what differs: another actor, another action, another record, another relation, another day', async () => {
    const record = await w.records.records.create(w.staff.doctor, p, {
      type: 'diagnosis',
      title: 'Asthma',
      body: { icd10: 'J45.909', text: 'Asthma, uncomplicated' },
    });
    const other = await w.records.records.create(w.staff.doctor, p, {
      type: 'diagnosis',
      title: 'Hay fever',
      body: { icd10: 'J30.1', text: 'Allergic rhinitis due to pollen' },
    });
    for (let i = 0; i < 3; i++) await w.records.records.get(w.staff.doctor, record.id);
    await w.records.records.get(w.staff.doctor, other.id);
    for (let i = 0; i < 2; i++) await w.identity.patients.get(w.staff.registrar, p);
    await w.identity.patients.get(w.staff.doctor, p);
    await w.identity.patients.get(asPatient(), p);
    w.clock.advance(24 * HOUR); // the next day
    await w.identity.patients.get(w.staff.doctor, p);
    const { entries } = await history();
    expect(entries.map(line)).toEqual([
      'doctor:patient.demographics_read×1', // day 2
      'patient:patient.demographics_read×1', // day 1, newest group first
      'doctor:patient.demographics_read×1',
      'registrar:patient.demographics_read×2',
      'doctor:record.read×1',
      'doctor:record.read×3',
      'doctor:record.create×1',
      'doctor:record.create×1',
      'registrar:careteam.assign×1',
      'registrar:enrolment.issue×1', // the enrolment code handed out at registration
      'registrar:patient.register×1',
    ]);
    expect(entries[4]!.recordId).toBe(other.id);
    expect(entries[5]!.recordId).toBe(record.id);
  });

  it("groups by the reader's day (utcOffset), not the server's", async () => {
    // 22:00 and 23:00 UTC on Jan 1: one day in UTC, two days at UTC+01:30.
    w.clock.advance(14 * HOUR);
    await w.identity.patients.get(w.staff.doctor, p);
    w.clock.advance(HOUR);
    await w.identity.patients.get(w.staff.doctor, p);
    const counts = async (utcOffset: number) =>
      (await history({ utcOffset })).entries
        .filter((e) => e.action === 'patient.demographics_read')
        .map((e) => e.count);
    expect(await counts(0)).toEqual([2]);
    expect(await counts(90)).toEqual([1, 1]);
    await rejectsWith(history({ utcOffset: 15 * 60 }), 'invalid_input');
  });

  it('pages by group: the pages together are the one-page answer, and what is appended meanwhile moves nothing', async () => {
    // Groups over three days, several a day.
    for (let day = 0; day < 3; day++) {
      for (let i = 0; i < 4; i++) await w.identity.patientDirectory.list(w.staff.doctor);
      await w.identity.patients.get(w.staff.registrar, p);
      await w.identity.patients.get(w.staff.doctor, p);
      await w.identity.patients.get(asPatient(), p);
      await w.identity.patientDirectory.list(w.staff.doctor);
      w.clock.advance(24 * HOUR);
    }
    const whole = (await history({ limit: 100 })).entries;
    const paged: AccessLogEntry[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await history({ limit: 2, ...(cursor ? { cursor } : {}) });
      paged.push(...page.entries);
      // Between pages: more reads today and on earlier groups' keys. They are after the snapshot.
      await w.identity.patientDirectory.list(w.staff.doctor);
      w.clock.advance(-24 * HOUR);
      await w.identity.patients.get(w.staff.registrar, p);
      w.clock.advance(24 * HOUR);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(whole);
    expect(new Set(paged.map((e) => e.seq)).size).toBe(paged.length);
    // Every entry of the snapshot is in exactly one line.
    const total = (await w.audit.ledger.entries(w.db, { patientId: p }, { limit: 200 })).entries.filter(
      (e) => e.seq <= Math.max(...whole.map((x) => x.seq)),
    ).length;
    expect(paged.reduce((n, e) => n + e.count, 0)).toBe(total);
  });

  it('refuses a cursor it did not make', async () => {
    await rejectsWith(history({ cursor: 'bm90LWEtY3Vyc29y' }), 'invalid_input');
    const forged = Buffer.from(JSON.stringify({ d: 1, s: 2, u: 3, o: 9999 })).toString('base64url');
    await rejectsWith(history({ cursor: forged }), 'invalid_input');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/app/audit/index.js';
import type { DbOrTx } from '../../src/store/database.js';
import { rejectsWith } from '../support/assertions.js';
import { registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';

/**
 * Issue 15, finding 6, from the reader's side: whoever is shown who a patient is (name, date of
 * birth, SSN digits, care team) leaves a ledger entry about that patient, which the patient sees
 * in their access history. Before the fix, demographics and patient lists left nothing.
 */
describe.each(DIALECTS)('reads of patient identity are ledgered (%s)', (dialect) => {
  let w: StaffedWorld;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
  });
  afterEach(async () => {
    await w.dispose();
  });

  const register = async (): Promise<string> =>
    (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
  const historyOf = async (patientId: string) =>
    (await w.records.accessLog.list(w.as({ userId: patientId, role: 'patient' }), patientId)).entries;
  /** Counts the ledger's append calls (one per transaction) while `fn` runs. */
  const appendsDuring = async (fn: () => Promise<unknown>): Promise<number> => {
    const ledger = w.audit.ledger;
    const [one, many] = [ledger.append, ledger.appendMany];
    let calls = 0;
    ledger.append = (tx: DbOrTx, e: AuditEvent) => (calls++, one.call(ledger, tx, e));
    ledger.appendMany = (tx: DbOrTx, es: readonly AuditEvent[]) => (calls++, many.call(ledger, tx, es));
    try {
      await fn();
    } finally {
      ledger.append = one;
      ledger.appendMany = many;
    }
    return calls;
  };

  it("a registrar reading a patient's demographics is in the patient's access history", async () => {
    const p = await register();
    expect((await historyOf(p)).map((e) => e.action)).toEqual(['enrolment.issue', 'patient.register']);
    await w.identity.patients.get(w.staff.registrar, p);
    const [newest] = await historyOf(p);
    expect(newest).toMatchObject({
      action: 'patient.demographics_read',
      actorId: w.staff.registrar.userId,
      actorRole: 'registrar',
      relation: 'duty',
      outcome: 'success',
      count: 1,
    });
  });

  it('a doctor reading demographics is ledgered with the reach: care team, grant (with its id), break-glass (with its id)', async () => {
    const [a, b, c] = [await register(), await register(), await register()];
    await w.sharing.careTeams.assign(w.staff.registrar, a, w.staff.doctor.userId);
    const grant = await w.sharing.grants.create(w.as({ userId: b, role: 'patient' }), b, {
      doctorId: w.staff.doctor.userId,
    });
    const glass = await w.sharing.breakGlass.open(
      w.staff.doctor,
      c,
      'Unconscious in the emergency room, no contact',
    );
    for (const id of [a, b, c]) await w.identity.patients.get(w.staff.doctor, id);
    const reads = w.recorder.entries.filter((e) => e.action === 'patient.demographics_read');
    expect(reads.map((e) => [e.patientId, e.actor?.userId, e.details])).toEqual([
      [a, w.staff.doctor.userId, { via: 'demographics', relation: 'care_team' }],
      [
        b,
        w.staff.doctor.userId,
        { via: 'demographics', relation: 'grant', grantId: grant.id, grantScope: 'read' },
      ],
      [
        c,
        w.staff.doctor.userId,
        { via: 'demographics', relation: 'break_glass', breakGlassId: glass.breakGlassId },
      ],
    ]);
    expect((await historyOf(c))[0]).toMatchObject({
      action: 'patient.demographics_read',
      relation: 'break_glass',
      breakGlassReason: 'Unconscious in the emergency room, no contact',
    });
  });

  it("the patient's own reads are ledgered too (a stolen session shows up); refused reads show nothing", async () => {
    const p = await register();
    await w.identity.patients.get(w.as({ userId: p, role: 'patient' }), p);
    await rejectsWith(w.identity.patients.get(w.staff.admin, p), 'forbidden');
    await rejectsWith(w.identity.patients.get(w.staff.doctor, p), 'not_found');
    const reads = w.recorder.entries.filter((e) => e.action === 'patient.demographics_read');
    expect(reads.map((e) => [e.actor?.role, e.details])).toEqual([
      ['patient', { via: 'demographics', relation: 'self' }],
    ]);
  });

  it('a doctor listing patients: one entry per patient shown, about that patient, with the reach, in ONE append', async () => {
    const [a, b, stranger] = [await register(), await register(), await register()];
    await w.sharing.careTeams.assign(w.staff.registrar, a, w.staff.doctor.userId);
    const grant = await w.sharing.grants.create(w.as({ userId: b, role: 'patient' }), b, {
      doctorId: w.staff.doctor.userId,
    });
    w.recorder.entries.length = 0;
    const appends = await appendsDuring(() => w.identity.patientDirectory.list(w.staff.doctor));
    expect(appends).toBe(1);
    const listed = w.recorder.entries.filter((e) => e.action === 'patient.listed');
    expect(new Map(listed.map((e) => [e.patientId, e.details]))).toEqual(
      new Map([
        [a, { via: 'patient_list', relation: 'care_team' }],
        [b, { via: 'patient_list', relation: 'grant', grantId: grant.id, grantScope: 'read' }],
      ]),
    );
    expect(listed.every((e) => e.target?.type === 'patient' && e.target.id === e.patientId)).toBe(true);
    expect((await historyOf(a))[0]).toMatchObject({
      action: 'patient.listed',
      actorId: w.staff.doctor.userId,
    });
    expect((await historyOf(stranger)).map((e) => e.action)).toEqual(['enrolment.issue', 'patient.register']);
  });

  it('a registrar paging through every patient: each page ledgers exactly the patients on it', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await register());
      w.clock.advance(1000);
    }
    w.recorder.entries.length = 0;
    let cursor: string | undefined;
    for (;;) {
      const before = w.recorder.entries.length;
      const page = await w.identity.patientDirectory.list(w.staff.registrar, {
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      const ledgered = w.recorder.entries.slice(before);
      expect(ledgered.map((e) => [e.action, e.patientId, e.details])).toEqual(
        page.patients.map((p) => ['patient.listed', p.id, { via: 'patient_list', relation: 'duty' }]),
      );
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    for (const id of ids)
      expect((await historyOf(id))[0]).toMatchObject({
        action: 'patient.listed',
        actorId: w.staff.registrar.userId,
      });
  });

  it('a list of no one writes nothing', async () => {
    w.recorder.entries.length = 0;
    expect((await w.identity.patientDirectory.list(w.staff.doctor)).patients).toEqual([]);
    expect(w.recorder.entries).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { rejectsWith, rowText } from '../support/assertions.js';
import { identityOf, registerEnrolled, registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('patient registration and demographics (%s)', (dialect) => {
  let w: StaffedWorld;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
  });
  afterEach(async () => {
    await w.dispose();
  });

  it('registers a patient: a random UUID, an enrolment code (no credential), a patient account without a username', async () => {
    const answer = await w.identity.patients.register(w.staff.registrar, identityOf(registration()));
    const { patientId } = answer;
    expect(Object.keys(answer).sort()).toEqual(['enrolmentCode', 'expiresAt', 'mrn', 'patientId']);
    expect(patientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(answer.enrolmentCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    const user = await w.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'patient', username: null, display_name: null, status: 'active' });
    expect(w.recorder.entries).toEqual([
      expect.objectContaining({
        action: 'patient.register',
        actor: w.staff.registrar,
        patientId,
        outcome: 'success',
        details: {},
        inTransaction: true,
      }),
      expect.objectContaining({ action: 'enrolment.issue', patientId, inTransaction: true }),
    ]);
  });

  it('stores no SSN, name, date of birth, PIN, password or recovery code in clear anywhere', async () => {
    const input = registration({
      ssn: '123-45-6789',
      fullName: 'Zebulon Marchetti',
      dateOfBirth: '1971-03-14',
      pin: '907153',
    });
    const { patientId, recoveryCode, enrolmentCode } = await registerEnrolled(w, w.staff.registrar, input);
    const patients = await w.db.selectFrom('patients').selectAll().execute();
    const users = await w.db.selectFrom('users').selectAll().where('id', '=', patientId).execute();
    const keys = await w.db.selectFrom('data_keys').selectAll().execute();
    const enrolments = await w.db.selectFrom('patient_enrolments').selectAll().execute();
    const text = rowText([...patients, ...users, ...keys, ...enrolments]);
    const secrets = [
      '123-45-6789',
      '123456789',
      'Zebulon',
      'Marchetti',
      '1971-03-14',
      '19710314',
      '907153',
      input.password,
      recoveryCode,
      recoveryCode.replace(/-/g, ''),
      enrolmentCode,
      enrolmentCode.replace(/-/g, ''),
    ];
    for (const s of secrets) expect(text, s).not.toContain(s);
    expect(patients[0]!.pin_hash).toMatch(/^mv1\$p1\$argon2id\$/);
    expect(patients[0]!.password_hash).toMatch(/^mv1\$p1\$argon2id\$/);
    // The generated 125-bit recovery code: a keyed HMAC, not a slow hash (lookup-secret.ts).
    expect(patients[0]!.recovery_hash).toMatch(/^mv1\$p1\$hmac-sha256\$[A-Za-z0-9+/]{43}=$/);
    expect(patients[0]!.pin_hash).not.toBe(patients[0]!.password_hash);
    // Three envelope-encrypted identifiers, each with its own data key bound to the patient.
    expect(keys.map((k) => [k.owner_table, k.owner_id, k.patient_id, k.field]).sort()).toEqual(
      ['dob', 'name', 'ssn'].map((f) => ['patients', patientId, patientId, f]),
    );
  });

  it('answers 409 duplicate_patient for the same SSN, naming nobody and writing nothing', async () => {
    const first = registration({ fullName: 'Original Person' });
    const { patientId } = await w.identity.patients.register(w.staff.registrar, first);
    const again = registration({ ssn: ` ${first.ssn} `, fullName: 'Someone Else' });
    const err = await rejectsWith(
      w.identity.patients.register(w.staff.registrar, again),
      'conflict',
      'duplicate_patient',
    );
    for (const leak of [first.ssn, patientId, 'Original', 'Someone']) expect(err.message).not.toContain(leak);
    expect(await w.db.selectFrom('patients').select('id').execute()).toHaveLength(1);
    expect(await w.db.selectFrom('data_keys').select('id').execute()).toHaveLength(3);
  });

  it('two registrations of one SSN at once: one succeeds, the other 409 (the unique index decides)', async () => {
    const ssn = '555-66-7777';
    const results = await Promise.allSettled([
      w.identity.patients.register(w.staff.registrar, registration({ ssn })),
      w.identity.patients.register(w.staff.registrar, registration({ ssn })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ kind: 'conflict', code: 'duplicate_patient' });
    expect(await w.db.selectFrom('patients').select('id').execute()).toHaveLength(1);
    // The loser's data keys were rolled back with its transaction.
    expect(await w.db.selectFrom('data_keys').select('id').execute()).toHaveLength(3);
  });

  it('refuses every role but registrar with 403 (an admin cannot register patients)', async () => {
    const { patientId } = await w.identity.patients.register(w.staff.registrar, registration());
    const patient: Actor = { userId: patientId, role: 'patient' };
    for (const actor of [w.staff.admin, w.staff.doctor, w.staff.pharmacist, patient]) {
      await rejectsWith(w.identity.patients.register(w.as(actor), registration()), 'forbidden');
    }
    expect(await w.db.selectFrom('patients').select('id').execute()).toHaveLength(1);
  });

  it('validates every field (400) before writing', async () => {
    const bad: Array<Partial<Parameters<typeof registration>[0]>> = [
      { ssn: '123456789' },
      { ssn: '123-45-678' },
      { fullName: '   ' },
      { fullName: 'x'.repeat(201) },
      { fullName: 'Bad\u0000Name' },
      { dateOfBirth: '1999-02-30' },
      { dateOfBirth: '2031-01-01' },
      { dateOfBirth: '1850-01-01' },
      { dateOfBirth: '19990101' },
      { smokingStatus: 'sometimes' },
    ];
    for (const over of bad)
      await rejectsWith(
        w.identity.patients.register(w.staff.registrar, identityOf(registration(over))),
        'invalid_input',
      );
    expect(await w.db.selectFrom('patients').select('id').execute()).toHaveLength(0);
  });

  it('shows demographics to a registrar: decrypted name and birth date, masked SSN, care team', async () => {
    const input = registration({ ssn: '321-54-9876', fullName: 'Maud Lindqvist', dateOfBirth: '1990-12-01' });
    const { patientId, mrn } = await w.identity.patients.register(w.staff.registrar, input);
    await w.sharing.careTeams.assign(w.staff.registrar, patientId, w.staff.doctor.userId);
    const d = await w.identity.patients.get(w.staff.registrar, patientId);
    expect(d).toEqual({
      id: patientId,
      mrn,
      fullName: 'Maud Lindqvist',
      dateOfBirth: '1990-12-01',
      maskedSsn: '***-**-9876',
      smokingStatus: 'former',
      registeredAt: w.clock.now,
      careTeam: [{ doctorId: w.staff.doctor.userId, displayName: 'Dr Grey', assignedAt: w.clock.now }],
      access: { relation: 'duty', grantScope: null, recordTypes: null },
      allergies: null,
    });
    expect(JSON.stringify(d)).not.toContain('321-54');
  });

  it('demographics: unknown id 404; admin and pharmacist 403; a patient sees only themself; a doctor only with access', async () => {
    const a = (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
    const b = (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
    await rejectsWith(w.identity.patients.get(w.staff.registrar, 'no-such-patient'), 'not_found');
    await rejectsWith(w.identity.patients.get(w.staff.admin, a), 'forbidden');
    await rejectsWith(w.identity.patients.get(w.staff.pharmacist, a), 'forbidden');
    expect((await w.identity.patients.get(w.as({ userId: a, role: 'patient' }), a)).id).toBe(a);
    await rejectsWith(w.identity.patients.get(w.as({ userId: a, role: 'patient' }), b), 'not_found');
    await rejectsWith(w.identity.patients.get(w.staff.doctor, a), 'not_found');
    await w.sharing.careTeams.assign(w.staff.registrar, a, w.staff.doctor.userId);
    expect((await w.identity.patients.get(w.staff.doctor, a)).id).toBe(a);
    await rejectsWith(w.identity.patients.get(w.staff.doctor, b), 'not_found');
  });

  it('lists patients: registrars page through all; doctors see theirs with the relation; others 403', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await w.identity.patients.register(w.staff.registrar, registration({ ssn: `100-00-000${i}` })))
          .patientId,
      );
      w.clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await w.identity.patientDirectory.list(w.staff.registrar, {
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.patients.length).toBeLessThanOrEqual(2);
      for (const p of page.patients) {
        expect(p.maskedSsn).toMatch(/^\*\*\*-\*\*-000\d$/);
        expect(p.fullName).toMatch(/^Ada Quill/);
        seen.push(p.id);
      }
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    await rejectsWith(
      w.identity.patientDirectory.list(w.staff.registrar, { cursor: 'not-a-cursor' }),
      'invalid_input',
    );

    await w.sharing.careTeams.assign(w.staff.registrar, ids[0]!, w.staff.doctor.userId);
    await w.sharing.grants.create(w.as({ userId: ids[1]!, role: 'patient' }), ids[1]!, {
      doctorId: w.staff.doctor.userId,
    });
    await w.sharing.breakGlass.open(w.staff.doctor, ids[2]!, 'Unconscious in the emergency room, no contact');
    const mine = await w.identity.patientDirectory.list(w.staff.doctor);
    expect(new Map(mine.patients.map((p) => [p.id, p.relation]))).toEqual(
      new Map([
        [ids[0]!, 'care_team'],
        [ids[1]!, 'grant'],
        [ids[2]!, 'break_glass'],
      ]),
    );
    const self = await w.identity.patientDirectory.list(w.as({ userId: ids[3]!, role: 'patient' }));
    expect(self.patients.map((p) => [p.id, p.relation])).toEqual([[ids[3]!, 'self']]);
    await rejectsWith(w.identity.patientDirectory.list(w.staff.admin), 'forbidden');
    await rejectsWith(w.identity.patientDirectory.list(w.staff.pharmacist), 'forbidden');
  });
});

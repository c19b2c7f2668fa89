import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { covers, type AccessScope } from '../../src/app/access/index.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { rejectsWith } from '../support/assertions.js';
import { insertStaff, registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('sharing grants (%s)', (dialect) => {
  let w: StaffedWorld;
  let patient: Actor;
  let other: Actor;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    patient = {
      userId: (await w.identity.patients.register(w.staff.registrar, registration())).patientId,
      role: 'patient',
    };
    other = {
      userId: (await w.identity.patients.register(w.staff.registrar, registration())).patientId,
      role: 'patient',
    };
  });
  afterEach(async () => {
    await w.dispose();
  });

  const access = (doctor: AccessScope = w.staff.doctor) => doctor.patient(w.db, patient.userId, 'read');

  it('a grant gives the doctor access to the granted record types only', async () => {
    await rejectsWith(access(), 'not_found');
    const grant = await w.sharing.grants.create(w.as(patient), patient.userId, {
      doctorId: w.staff.doctor.userId,
      recordTypes: ['vaccination', 'lab_result', 'lab_result'],
    });
    expect(grant).toMatchObject({
      doctorId: w.staff.doctor.userId,
      doctorName: 'Dr Grey',
      recordTypes: ['lab_result', 'vaccination'],
      status: 'active',
    });
    const a = await access();
    expect(a.relation).toBe('grant');
    expect(covers(a, 'lab_result')).toBe(true);
    expect(covers(a, 'vaccination')).toBe(true);
    expect(covers(a, 'diagnosis')).toBe(false);
    expect(w.recorder.entries.at(-1)).toMatchObject({
      action: 'grant.create',
      actor: patient,
      patientId: patient.userId,
      details: {
        grantId: grant.id,
        doctorId: w.staff.doctor.userId,
        recordTypes: ['lab_result', 'vaccination'],
        expiresAt: null,
      },
      inTransaction: true,
    });
  });

  it('a grant without types covers every type', async () => {
    await w.sharing.grants.create(w.as(patient), patient.userId, { doctorId: w.staff.doctor.userId });
    expect((await access()).recordTypes).toBe('all');
  });

  it('revoking ends access at once (404), and shows in the list', async () => {
    const grant = await w.sharing.grants.create(w.as(patient), patient.userId, {
      doctorId: w.staff.doctor.userId,
    });
    await access();
    await w.sharing.grants.revoke(w.as(patient), patient.userId, grant.id);
    await rejectsWith(access(), 'not_found');
    expect((await w.sharing.grants.list(w.as(patient), patient.userId)).map((g) => g.status)).toEqual([
      'revoked',
    ]);
    // Revoking again changes nothing and writes no second entry; an unknown grant is 404.
    await w.sharing.grants.revoke(w.as(patient), patient.userId, grant.id);
    expect(w.recorder.actions().filter((a) => a === 'grant.revoke')).toHaveLength(1);
    await rejectsWith(w.sharing.grants.revoke(w.as(patient), patient.userId, 'no-such-grant'), 'not_found');
  });

  it('an expired grant gives no access (404)', async () => {
    const expiresAt = new Date(w.clock.now + 60_000).toISOString();
    await w.sharing.grants.create(w.as(patient), patient.userId, {
      doctorId: w.staff.doctor.userId,
      expiresAt,
    });
    await access();
    w.clock.advance(60_001);
    await rejectsWith(access(), 'not_found');
    expect((await w.sharing.grants.list(w.as(patient), patient.userId))[0]?.status).toBe('expired');
  });

  it("another patient's grants are 404 (list, create, revoke); staff are 403", async () => {
    const grant = await w.sharing.grants.create(w.as(patient), patient.userId, {
      doctorId: w.staff.doctor.userId,
    });
    await rejectsWith(w.sharing.grants.list(w.as(other), patient.userId), 'not_found');
    await rejectsWith(
      w.sharing.grants.create(w.as(other), patient.userId, { doctorId: w.staff.doctor.userId }),
      'not_found',
    );
    await rejectsWith(w.sharing.grants.revoke(w.as(other), patient.userId, grant.id), 'not_found');
    // Through their own id, another patient's grant id finds nothing either.
    await rejectsWith(w.sharing.grants.revoke(w.as(other), other.userId, grant.id), 'not_found');
    await access();
    for (const staff of [w.staff.registrar, w.staff.admin, w.staff.doctor, w.staff.pharmacist]) {
      await rejectsWith(w.sharing.grants.list(staff, patient.userId), 'forbidden');
      await rejectsWith(
        w.sharing.grants.create(staff, patient.userId, { doctorId: w.staff.doctor.userId }),
        'forbidden',
      );
    }
  });

  it('refuses a doctor id that is not an active doctor, unknown record types and past expiries (400)', async () => {
    const disabled = await insertStaff(w.db, 'doctor');
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.userId).execute();
    for (const doctorId of [w.staff.pharmacist.userId, other.userId, disabled.userId, 'nobody']) {
      await rejectsWith(
        w.sharing.grants.create(w.as(patient), patient.userId, { doctorId }),
        'invalid_input',
        'invalid_doctor',
      );
    }
    const bad = [
      { recordTypes: [] },
      { recordTypes: ['x-ray'] },
      { expiresAt: new Date(w.clock.now - 1).toISOString() },
      { expiresAt: 'tomorrow' },
      { expiresAt: '2031-01-01' },
    ];
    for (const over of bad) {
      await rejectsWith(
        w.sharing.grants.create(w.as(patient), patient.userId, { doctorId: w.staff.doctor.userId, ...over }),
        'invalid_input',
      );
    }
    expect(await w.db.selectFrom('grants').select('id').execute()).toHaveLength(0);
  });

  it('lists active doctors for anyone logged in', async () => {
    const disabled = await insertStaff(w.db, 'doctor', 'Dr Gone');
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.userId).execute();
    expect(await w.sharing.grants.doctors(w.as(patient))).toEqual([
      { id: w.staff.doctor.userId, displayName: 'Dr Grey' },
    ]);
  });
});

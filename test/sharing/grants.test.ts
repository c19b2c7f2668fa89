import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { covers, type AccessScope } from '../../src/app/access/index.js';
import { DIALECTS } from '../helpers/stores.js';
import {
  insertStaff,
  patientWorld,
  registration,
  rejectsWith,
  type PatientWorld,
} from '../helpers/patients.js';

describe.each(DIALECTS)('sharing grants (%s)', (dialect) => {
  let w: PatientWorld;
  let patient: AccessScope;
  let other: AccessScope;
  beforeEach(async () => {
    w = await patientWorld(dialect);
    patient = w.as({
      userId: (await w.patients.register(w.registrar, registration())).patientId,
      role: 'patient',
    });
    other = w.as({
      userId: (await w.patients.register(w.registrar, registration())).patientId,
      role: 'patient',
    });
  });
  afterEach(async () => {
    await w.dispose();
  });

  const access = (doctor: AccessScope = w.doctor) => doctor.patient(w.db, patient.userId, 'read');

  it('a grant gives the doctor access to the granted record types only', async () => {
    await rejectsWith(access(), 'not_found');
    const grant = await w.grants.create(patient, patient.userId, {
      doctorId: w.doctor.userId,
      recordTypes: ['vaccination', 'lab_result', 'lab_result'],
    });
    expect(grant).toMatchObject({
      doctorId: w.doctor.userId,
      doctorName: 'Dr Grey',
      recordTypes: ['lab_result', 'vaccination'],
      status: 'active',
    });
    const a = await access();
    expect(a.relation).toBe('grant');
    expect(covers(a, 'lab_result')).toBe(true);
    expect(covers(a, 'vaccination')).toBe(true);
    expect(covers(a, 'diagnosis')).toBe(false);
    expect(w.audit.entries.at(-1)).toMatchObject({
      action: 'grant.create',
      actor: patient,
      patientId: patient.userId,
      details: {
        grantId: grant.id,
        doctorId: w.doctor.userId,
        recordTypes: ['lab_result', 'vaccination'],
        expiresAt: null,
      },
      inTransaction: true,
    });
  });

  it('a grant without types covers every type', async () => {
    await w.grants.create(patient, patient.userId, { doctorId: w.doctor.userId });
    expect((await access()).recordTypes).toBe('all');
  });

  it('revoking ends access at once (404), and shows in the list', async () => {
    const grant = await w.grants.create(patient, patient.userId, { doctorId: w.doctor.userId });
    await access();
    await w.grants.revoke(patient, patient.userId, grant.id);
    await rejectsWith(access(), 'not_found');
    expect((await w.grants.list(patient, patient.userId)).map((g) => g.status)).toEqual(['revoked']);
    // Revoking again changes nothing and writes no second entry; an unknown grant is 404.
    await w.grants.revoke(patient, patient.userId, grant.id);
    expect(w.audit.actions().filter((a) => a === 'grant.revoke')).toHaveLength(1);
    await rejectsWith(w.grants.revoke(patient, patient.userId, 'no-such-grant'), 'not_found');
  });

  it('an expired grant gives no access (404)', async () => {
    const expiresAt = new Date(w.clock.now + 60_000).toISOString();
    await w.grants.create(patient, patient.userId, { doctorId: w.doctor.userId, expiresAt });
    await access();
    w.clock.advance(60_001);
    await rejectsWith(access(), 'not_found');
    expect((await w.grants.list(patient, patient.userId))[0]?.status).toBe('expired');
  });

  it("another patient's grants are 404 (list, create, revoke); staff are 403", async () => {
    const grant = await w.grants.create(patient, patient.userId, { doctorId: w.doctor.userId });
    await rejectsWith(w.grants.list(other, patient.userId), 'not_found');
    await rejectsWith(w.grants.create(other, patient.userId, { doctorId: w.doctor.userId }), 'not_found');
    await rejectsWith(w.grants.revoke(other, patient.userId, grant.id), 'not_found');
    // Through their own id, another patient's grant id finds nothing either.
    await rejectsWith(w.grants.revoke(other, other.userId, grant.id), 'not_found');
    await access();
    for (const staff of [w.registrar, w.admin, w.doctor, w.pharmacist]) {
      await rejectsWith(w.grants.list(staff, patient.userId), 'forbidden');
      await rejectsWith(w.grants.create(staff, patient.userId, { doctorId: w.doctor.userId }), 'forbidden');
    }
  });

  it('refuses a doctor id that is not an active doctor, unknown record types and past expiries (400)', async () => {
    const disabled = await insertStaff(w.db, 'doctor');
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.userId).execute();
    for (const doctorId of [w.pharmacist.userId, other.userId, disabled.userId, 'nobody']) {
      await rejectsWith(
        w.grants.create(patient, patient.userId, { doctorId }),
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
        w.grants.create(patient, patient.userId, { doctorId: w.doctor.userId, ...over }),
        'invalid_input',
      );
    }
    expect(await w.db.selectFrom('grants').select('id').execute()).toHaveLength(0);
  });

  it('lists active doctors for anyone logged in', async () => {
    const disabled = await insertStaff(w.db, 'doctor', 'Dr Gone');
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.userId).execute();
    expect(await w.grants.doctors(patient)).toEqual([{ id: w.doctor.userId, displayName: 'Dr Grey' }]);
  });
});

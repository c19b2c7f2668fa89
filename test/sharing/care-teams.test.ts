import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/stores.js';
import {
  insertStaff,
  patientWorld,
  registration,
  rejectsWith,
  type PatientWorld,
} from '../helpers/patients.js';

describe.each(DIALECTS)('care teams and role limits (%s)', (dialect) => {
  let w: PatientWorld;
  let patientId: string;
  beforeEach(async () => {
    w = await patientWorld(dialect);
    patientId = (await w.patients.register(w.registrar, registration())).patientId;
  });
  afterEach(async () => {
    await w.dispose();
  });

  it('assigning a doctor gives care-team access; removing takes it away at once', async () => {
    await rejectsWith(w.doctor.patient(w.db, patientId, 'read'), 'not_found');
    expect(await w.careTeams.assign(w.registrar, patientId, w.doctor.userId)).toEqual({
      patientId,
      doctorId: w.doctor.userId,
      added: true,
    });
    expect((await w.doctor.patient(w.db, patientId, 'write')).relation).toBe('care_team');
    // Assigning twice changes nothing.
    expect((await w.careTeams.assign(w.registrar, patientId, w.doctor.userId)).added).toBe(false);
    expect(w.audit.entries.filter((e) => e.action === 'careteam.assign')).toHaveLength(1);
    await w.careTeams.remove(w.registrar, patientId, w.doctor.userId);
    await rejectsWith(w.doctor.patient(w.db, patientId, 'read'), 'not_found');
    await rejectsWith(w.careTeams.remove(w.registrar, patientId, w.doctor.userId), 'not_found');
    expect(w.audit.entries.filter((e) => e.action === 'careteam.assign').map((e) => e.details)).toEqual([
      { doctorId: w.doctor.userId, change: 'add' },
      { doctorId: w.doctor.userId, change: 'remove' },
    ]);
  });

  it('only an active doctor can be assigned (400); the patient must exist (404); only registrars assign (403)', async () => {
    const disabled = await insertStaff(w.db, 'doctor');
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.userId).execute();
    for (const doctorId of [w.pharmacist.userId, w.admin.userId, disabled.userId, patientId, 'nobody']) {
      await rejectsWith(
        w.careTeams.assign(w.registrar, patientId, doctorId),
        'invalid_input',
        'invalid_doctor',
      );
    }
    await rejectsWith(w.careTeams.assign(w.registrar, 'no-such-patient', w.doctor.userId), 'not_found');
    for (const actor of [w.admin, w.doctor, w.pharmacist, w.as({ userId: patientId, role: 'patient' })]) {
      await rejectsWith(w.careTeams.assign(actor, patientId, w.doctor.userId), 'forbidden');
      await rejectsWith(w.careTeams.remove(actor, patientId, w.doctor.userId), 'forbidden');
    }
    expect(await w.db.selectFrom('care_teams').selectAll().execute()).toHaveLength(0);
  });

  it('a registrar cannot read records, nor can an admin or pharmacist (policy 403); an admin cannot register (403)', async () => {
    for (const actor of [w.registrar, w.admin, w.pharmacist]) {
      await rejectsWith(actor.patient(w.db, patientId, 'read'), 'forbidden');
      await rejectsWith(actor.patient(w.db, patientId, 'write'), 'forbidden');
    }
    await rejectsWith(w.patients.register(w.admin, registration()), 'forbidden');
  });
});

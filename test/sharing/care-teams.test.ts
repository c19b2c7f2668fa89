import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { rejectsWith } from '../support/assertions.js';
import { insertStaff, registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('care teams and role limits (%s)', (dialect) => {
  let w: StaffedWorld;
  let patientId: string;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    patientId = (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
  });
  afterEach(async () => {
    await w.dispose();
  });

  it('assigning a doctor gives care-team access; removing takes it away at once', async () => {
    await rejectsWith(w.staff.doctor.patient(w.db, patientId, 'read'), 'not_found');
    expect(await w.sharing.careTeams.assign(w.staff.registrar, patientId, w.staff.doctor.userId)).toEqual({
      patientId,
      doctorId: w.staff.doctor.userId,
      added: true,
    });
    expect((await w.staff.doctor.patient(w.db, patientId, 'write')).relation).toBe('care_team');
    // Assigning twice changes nothing.
    expect(
      (await w.sharing.careTeams.assign(w.staff.registrar, patientId, w.staff.doctor.userId)).added,
    ).toBe(false);
    expect(w.recorder.entries.filter((e) => e.action === 'careteam.assign')).toHaveLength(1);
    await w.sharing.careTeams.remove(w.staff.registrar, patientId, w.staff.doctor.userId);
    await rejectsWith(w.staff.doctor.patient(w.db, patientId, 'read'), 'not_found');
    await rejectsWith(
      w.sharing.careTeams.remove(w.staff.registrar, patientId, w.staff.doctor.userId),
      'not_found',
    );
    expect(w.recorder.entries.filter((e) => e.action === 'careteam.assign').map((e) => e.details)).toEqual([
      { doctorId: w.staff.doctor.userId, change: 'add' },
      { doctorId: w.staff.doctor.userId, change: 'remove' },
    ]);
  });

  it('only an active doctor can be assigned (400); the patient must exist (404); only registrars assign (403)', async () => {
    const disabled = await insertStaff(w.db, 'doctor');
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.userId).execute();
    for (const doctorId of [
      w.staff.pharmacist.userId,
      w.staff.admin.userId,
      disabled.userId,
      patientId,
      'nobody',
    ]) {
      await rejectsWith(
        w.sharing.careTeams.assign(w.staff.registrar, patientId, doctorId),
        'invalid_input',
        'invalid_doctor',
      );
    }
    await rejectsWith(
      w.sharing.careTeams.assign(w.staff.registrar, 'no-such-patient', w.staff.doctor.userId),
      'not_found',
    );
    for (const actor of [
      w.staff.admin,
      w.staff.doctor,
      w.staff.pharmacist,
      { userId: patientId, role: 'patient' as const },
    ]) {
      await rejectsWith(
        w.sharing.careTeams.assign(w.as(actor), patientId, w.staff.doctor.userId),
        'forbidden',
      );
      await rejectsWith(
        w.sharing.careTeams.remove(w.as(actor), patientId, w.staff.doctor.userId),
        'forbidden',
      );
    }
    expect(await w.db.selectFrom('care_teams').selectAll().execute()).toHaveLength(0);
  });

  it('a registrar cannot read records, nor can an admin or pharmacist (policy 403); an admin cannot register (403)', async () => {
    for (const actor of [w.staff.registrar, w.staff.admin, w.staff.pharmacist]) {
      await rejectsWith(actor.patient(w.db, patientId, 'read'), 'forbidden');
      await rejectsWith(actor.patient(w.db, patientId, 'write'), 'forbidden');
    }
    await rejectsWith(w.identity.patients.register(w.staff.admin, registration()), 'forbidden');
  });
});

import { SMOKING_STATUSES } from '../../contract/vocabulary/patients.js';
import { attempt, type ConsoleSession } from './session.js';
import { ask, BACK, choose, show, type Back } from './ui.js';

async function register(s: ConsoleSession): Promise<void> {
  const ssn = await ask('SSN (###-##-####):', {
    validate: (v) => /^\d{3}-\d{2}-\d{4}$/.test(v.trim()) || 'format ###-##-####',
  });
  const fullName = await ask('Full name:', { validate: (v) => v.trim().length > 0 || 'required' });
  const dateOfBirth = await ask('Date of birth (YYYY-MM-DD):', {
    validate: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) || 'YYYY-MM-DD',
  });
  const smokingStatus = await choose(
    'Smoking status',
    SMOKING_STATUSES.map((v) => ({ name: v, value: v })),
  );
  const reg = await s.api.call('registerPatient', {
    body: {
      ssn: ssn.trim(),
      fullName: fullName.trim(),
      dateOfBirth: dateOfBirth.trim(),
      smokingStatus,
    },
  });
  show(
    `  ✔ registered ${reg.patientId}`,
    `  one-time enrolment code: ${reg.enrolmentCode}`,
    `  valid until ${new Date(reg.expiresAt).toISOString()}: give it to the patient, who activates the`,
    `  account at the portal ("First time here?") and chooses their own PIN and password.`,
  );
}

async function careTeam(s: ConsoleSession): Promise<void> {
  const patients = await s.api.all('listPatients', { query: { limit: 100 } });
  const patientId = await choose<string | Back>('Patient', [
    ...patients.map((p) => ({ name: `${p.fullName}  ${p.maskedSsn}`, value: p.id })),
    { name: '← Back', value: BACK },
  ]);
  if (patientId === BACK) return;
  const { doctors } = await s.api.call('listDoctors');
  const doctorId = await choose(
    'Doctor',
    doctors.map((d) => ({ name: d.displayName ?? d.id, value: d.id })),
  );
  const res = await s.api.call('assignCareTeam', { params: { id: patientId }, body: { doctorId } });
  show(res.added ? '  ✔ added to the care team' : '  (already on the care team)');
}

/** The registrar's menu: register a patient (enrolment code shown once), assign a care team. */
export async function registrarMenu(s: ConsoleSession): Promise<void> {
  for (;;) {
    const action = await choose<'register' | 'team' | Back>('Registrar menu', [
      { name: 'Register a patient', value: 'register' },
      { name: 'Assign a doctor to a care team', value: 'team' },
      { name: 'Log out', value: BACK },
    ]);
    if (action === BACK) return;
    await attempt(() => (action === 'register' ? register(s) : careTeam(s)));
  }
}

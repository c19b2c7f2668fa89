import { Type } from '@sinclair/typebox';
import { Doctors, PatientPage, Registered } from '../demo/api-schemas.js';
import { attempt, type ConsoleSession } from './session.js';
import { ask, BACK, choose, secret, show, type Back } from './ui.js';

const CareTeamAnswer = Type.Object({ added: Type.Boolean() });

async function register(s: ConsoleSession): Promise<void> {
  const ssn = await ask('SSN (###-##-####):', {
    validate: (v) => /^\d{3}-\d{2}-\d{4}$/.test(v.trim()) || 'format ###-##-####',
  });
  const fullName = await ask('Full name:', { validate: (v) => v.trim().length > 0 || 'required' });
  const dateOfBirth = await ask('Date of birth (YYYY-MM-DD):', {
    validate: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) || 'YYYY-MM-DD',
  });
  const pin = await secret('Patient PIN (6 digits):');
  const password = await secret('Patient password (12+ characters):');
  const smokingStatus = await choose(
    'Smoking status',
    ['never', 'former', 'current', 'unknown'].map((v) => ({ name: v, value: v })),
  );
  const reg = await s.api.expect(Registered, 201, 'POST', '/api/v1/patients', {
    token: s.token,
    json: {
      ssn: ssn.trim(),
      fullName: fullName.trim(),
      dateOfBirth: dateOfBirth.trim(),
      pin,
      password,
      smokingStatus,
    },
  });
  show(
    `  ✔ registered ${reg.patientId}`,
    `  one-time recovery code: ${reg.recoveryCode}  (give it to the patient; it is not shown again)`,
  );
}

async function careTeam(s: ConsoleSession): Promise<void> {
  const page = await s.api.expect(PatientPage, 200, 'GET', '/api/v1/patients?limit=100', { token: s.token });
  const patientId = await choose<string | Back>('Patient', [
    ...page.patients.map((p) => ({ name: `${p.fullName}  ${p.maskedSsn}`, value: p.id })),
    { name: '← Back', value: BACK },
  ]);
  if (patientId === BACK) return;
  const { doctors } = await s.api.expect(Doctors, 200, 'GET', '/api/v1/doctors', { token: s.token });
  const doctorId = await choose(
    'Doctor',
    doctors.map((d) => ({ name: d.displayName ?? d.id, value: d.id })),
  );
  const res = await s.api.expect(
    CareTeamAnswer,
    [200, 201],
    'POST',
    `/api/v1/patients/${patientId}/care-team`,
    {
      token: s.token,
      json: { doctorId },
    },
  );
  show(res.added ? '  ✔ added to the care team' : '  (already on the care team)');
}

/** The registrar's menu: register a patient (recovery code shown once), assign a care team. */
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

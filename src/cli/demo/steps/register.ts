import { randomInt } from 'node:crypto';
import { Registered } from '../api-schemas.js';
import { patientLogin } from '../http-client.js';
import type { Step } from '../scenario.js';
import type { DemoPatient, DemoWorld } from '../world.js';
import { demoPassword } from './staff.js';

/** A random, well-formed, made-up SSN (a fresh one per run, so PostgreSQL reruns never collide). */
export function syntheticSsn(): string {
  const d = (n: number): string => String(randomInt(10 ** n)).padStart(n, '0');
  return `${d(3)}-${d(2)}-${d(4)}`;
}

const pin = (): string => String(randomInt(1_000_000)).padStart(6, '0');

/**
 * Registers a patient over HTTP as the registrar, puts the care-team doctor on their team and
 * logs them in once (so the world holds a session) unless told not to. The recovery code is returned once.
 */
export async function registerPatient(
  world: DemoWorld,
  fullName: string,
  dateOfBirth: string,
  options: { login?: boolean } = {},
): Promise<DemoPatient> {
  const registrar = world.member('registrar');
  const doctor = world.member('doctor');
  const p = { ssn: syntheticSsn(), fullName, dateOfBirth, pin: pin(), password: demoPassword() };
  const reg = await world.api.expect(Registered, 201, 'POST', '/api/v1/patients', {
    token: registrar.token,
    json: { ...p, smokingStatus: 'never' },
  });
  await world.api.expectStatus(201, 'POST', `/api/v1/patients/${reg.patientId}/care-team`, {
    token: registrar.token,
    json: { doctorId: doctor.id },
  });
  const token = options.login === false ? '' : (await patientLogin(world.api, p)).token;
  return { ...p, id: reg.patientId, recoveryCode: reg.recoveryCode, token };
}

/** Step 1: a registrar registers a patient; the one-time recovery code is shown. */
export const registerStep: Step = {
  title: 'Step 1 — A registrar registers a patient',
  async run(world: DemoWorld): Promise<string> {
    const a = await registerPatient(world, 'Maria Quintero-Vale', '1984-07-19');
    world.patient = a;
    world.say(
      `registrar ${world.member('registrar').username} registered Maria Quintero-Vale (born 1984-07-19)`,
    );
    world.say(`  SSN ${a.ssn}   PIN ${a.pin}   password ${a.password}   (synthetic demo values)`);
    world.say(`  patient id ${a.id}`);
    world.say(`  one-time recovery code: ${a.recoveryCode}   <- shown once, handed to the patient`);
    world.say(`  care team: ${world.member('doctor').displayName}`);
    return 'patient registered with SSN blind index + encrypted name, DOB and SSN; recovery code issued';
  },
};

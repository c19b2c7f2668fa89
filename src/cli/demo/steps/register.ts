import { randomInt } from 'node:crypto';
import type { LoginAnswer } from '../../../contract/api/auth.js';
import { sessionOf } from '../../../contract/client/index.js';
import type { Step } from '../scenario.js';
import type { DemoPatient, DemoWorld } from '../world.js';
import { demoPassword } from './staff.js';

/** Patient login with SSN, PIN and password. @throws ApiError when refused. */
export function patientLogin(
  world: DemoWorld,
  credentials: { readonly ssn: string; readonly pin: string; readonly password: string },
): Promise<LoginAnswer> {
  const { ssn, pin, password } = credentials;
  return world.api.call('patientLogin', { body: { ssn, pin, password } }).then(sessionOf);
}

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
  const asRegistrar = world.as(registrar.token);
  const reg = await asRegistrar.call('registerPatient', { body: { ...p, smokingStatus: 'never' } });
  const team = await asRegistrar.call('assignCareTeam', {
    params: { id: reg.patientId },
    body: { doctorId: doctor.id },
  });
  if (!team.added) throw new Error("the doctor was already on a new patient's care team");
  const token = options.login === false ? '' : (await patientLogin(world, p)).token;
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

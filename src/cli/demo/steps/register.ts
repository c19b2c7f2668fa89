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
 * Registers a patient over HTTP as the registrar (identity only: the registrar gets an enrolment
 * code, never a credential), has the patient activate with it and choose PIN and password (the
 * recovery code is returned to the patient, once), puts the care-team doctor on their team and
 * logs the patient in once (so the world holds a session) unless told not to.
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
  const reg = await asRegistrar.call('registerPatient', {
    body: { ssn: p.ssn, fullName, dateOfBirth, smokingStatus: 'never' },
  });
  // The patient, at the portal, with the code from the slip.
  const { recoveryCode } = await world.api.call('enrolPatient', {
    body: { ssn: p.ssn, enrolmentCode: reg.enrolmentCode, pin: p.pin, password: p.password },
  });
  const team = await asRegistrar.call('assignCareTeam', {
    params: { id: reg.patientId },
    body: { doctorId: doctor.id },
  });
  if (!team.added) throw new Error("the doctor was already on a new patient's care team");
  const token = options.login === false ? '' : (await patientLogin(world, p)).token;
  return { ...p, id: reg.patientId, enrolmentCode: reg.enrolmentCode, recoveryCode, token };
}

/**
 * Step 1: a registrar registers a patient (identity only) and prints the enrolment slip; the
 * patient activates, choosing PIN and password, and sees the recovery code once.
 */
export const registerStep: Step = {
  title: 'Step 1 — A registrar registers a patient; the patient enrols',
  async run(world: DemoWorld): Promise<string> {
    const a = await registerPatient(world, 'Maria Quintero-Vale', '1984-07-19');
    world.patient = a;
    world.say(
      `registrar ${world.member('registrar').username} registered Maria Quintero-Vale (born 1984-07-19)`,
    );
    world.say(`  patient id ${a.id}   SSN ${a.ssn}`);
    world.say(`  enrolment slip: code ${a.enrolmentCode}   <- all the registrar ever sees; single use`);
    world.say(`the patient activates at the portal with SSN + code and chooses their own secrets:`);
    world.say(`  PIN ${a.pin}   password ${a.password}   (synthetic demo values)`);
    world.say(`  one-time recovery code: ${a.recoveryCode}   <- shown once, to the patient only`);
    world.say(`  care team: ${world.member('doctor').displayName}`);
    return 'patient registered (identity only) and enrolled: the registrar never saw a PIN, password or recovery code';
  },
};

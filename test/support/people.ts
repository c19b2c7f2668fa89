import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Actor, Role } from '../../src/app/actor.js';
import type { AppContext } from '../../src/app/context.js';
import type { PatientRegistration } from '../../src/app/identity/index.js';
import { Value } from '@sinclair/typebox/value';
import { LoginChallengeSchema, loginMessage } from '../../src/contract/signing/index.js';
import { signMessage, type SignatureAlgorithm } from '../../src/crypto/signature.js';
import type { DbOrTx } from '../../src/store/database.js';

/** A patient password the policy accepts. */
export const PATIENT_PASSWORD = 'amber-kettle-orchard-1987';
/** A staff password the policy accepts. */
export const GOOD_PASSWORD = 'violet-harbour-lantern-42';

/** A random well-formed SSN (tests register many; collisions are 1 in 10^9). */
export function randomSsn(): string {
  const d = (n: number): string => String(randomInt(10 ** n)).padStart(n, '0');
  return `${d(3)}-${d(2)}-${d(4)}`;
}

/**
 * A valid registration (identity only, what a registrar sends) plus the PIN and password the
 * patient will choose at enrolment (tests keep them together; the service ignores them);
 * override any field.
 */
export type TestPatient = PatientRegistration & { readonly pin: string; readonly password: string };

export function registration(over: Partial<TestPatient> = {}): TestPatient {
  return {
    ssn: randomSsn(),
    fullName: `Ada Quill ${randomBytes(3).toString('hex')}`,
    dateOfBirth: '1984-07-19',
    pin: '482915',
    password: PATIENT_PASSWORD,
    smokingStatus: 'former',
    ...over,
  };
}

/** The identity-only part of a test patient: exactly what a registrar sends. */
export function identityOf(p: TestPatient): PatientRegistration {
  return { ssn: p.ssn, fullName: p.fullName, dateOfBirth: p.dateOfBirth, smokingStatus: p.smokingStatus };
}

/**
 * Registers a patient (as `registrar`) and enrols them with the answered code and the PIN and
 * password of `p`, as the patient would at the portal.
 */
export async function registerEnrolled(
  app: Pick<AppContext, 'identity'>,
  registrar: Parameters<AppContext['identity']['patients']['register']>[0],
  p: TestPatient = registration(),
): Promise<{ patientId: string; recoveryCode: string; enrolmentCode: string }> {
  const { patientId, enrolmentCode } = await app.identity.patients.register(registrar, identityOf(p));
  const { recoveryCode } = await app.identity.enrolment.activate({
    ssn: p.ssn,
    enrolmentCode,
    pin: p.pin,
    password: p.password,
  });
  return { patientId, recoveryCode, enrolmentCode };
}

/** Inserts an active staff account directly (no key, no password: these tests never log staff in). */
export async function insertStaff(
  db: DbOrTx,
  role: Exclude<Role, 'patient'>,
  displayName = `Staff ${role}`,
): Promise<Actor> {
  return insertUser(db, role, displayName);
}

/**
 * Inserts an active account of any role directly: staff get a username, a patient account none
 * (and no patient record: for tests that only need someone to act or be named).
 */
export async function insertUser(db: DbOrTx, role: Role, displayName: string | null): Promise<Actor> {
  const id = randomUUID();
  const now = Date.now();
  await db
    .insertInto('users')
    .values({
      id,
      role,
      username: role === 'patient' ? null : `${role}.${id.slice(0, 8)}`,
      display_name: displayName,
      status: 'active',
      password_hash: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { userId: id, role };
}

/** A session token for `actor` (staff log in with keys; tests skip that). */
export async function tokenFor(app: Pick<AppContext, 'identity' | 'store'>, actor: Actor): Promise<string> {
  return (await app.identity.sessions.create(app.store.db, actor)).token;
}

/**
 * Signs a login challenge (as the service or the API answered it) as a client would: its login
 * message (src/contract/signing). No origin check: server-side tests are not the client.
 * @throws TypeError when `challenge` is not a login challenge.
 */
export function sign(algorithm: SignatureAlgorithm, privateKeyPem: string, challenge: unknown): string {
  if (!Value.Check(LoginChallengeSchema, challenge)) throw new TypeError('not a login challenge');
  return signMessage(algorithm, privateKeyPem, loginMessage(challenge));
}

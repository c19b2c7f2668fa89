import { normaliseSsn } from '../../crypto/blind-index.js';
import { withTransaction } from '../../store/database.js';
import {
  findPatientCredentials,
  upgradePatientHash,
  type PatientCredentialRow,
} from '../../store/patient-repository.js';
import type { Actor } from '../actor.js';
import type { AuditAction } from '../audit/actions.js';
import type { HashTicket } from './hash-pool.js';
import type { PatientServiceDeps } from './patient-deps.js';
import { AppError } from '../errors.js';
import { credentialsRejected, lockoutAccount } from './patient-secrets.js';
import {
  secondFactorNeededError,
  type SecondFactorLogin,
  type SecondFactorNeeded,
} from './second-factor-login.js';

export interface PatientLoginInput {
  readonly ssn: string;
  readonly pin: string;
  readonly password: string;
}

export interface PatientLoginResult {
  readonly token: string;
  readonly expiresAt: number;
  readonly user: { readonly id: string; readonly role: 'patient' };
}

/**
 * Patient login with three factors: SSN (who), PIN and password (proof). Every failure answers
 * the same 401 `login_failed`, and the work done is the same whichever factor is wrong or whether
 * the SSN exists: both verifiers are always checked (argon2id each), against random verifiers
 * when the SSN is unknown. Failures count per account, keyed by the SSN's blind index, so unknown
 * SSNs lock too and a lock reveals nothing.
 */
export class PatientLogin {
  constructor(
    private readonly deps: PatientServiceDeps,
    /** The second step (issue 14); without it no second factor is ever asked. */
    private readonly secondFactors?: SecondFactorLogin,
  ) {}

  /**
   * @throws AppError rate_limited (429, with retry-after) while the account is locked, even for
   *   correct credentials; unauthenticated `login_failed` for any wrong factor;
   *   credential_queue_full (503, with retry-after) when the hashing queue is full.
   */
  async login(input: PatientLoginInput): Promise<PatientLoginResult> {
    const answer = await this.signIn(input);
    if ('secondFactor' in answer) throw secondFactorNeededError();
    return answer;
  }

  /**
   * {@link login}, or — when the policy and the patient's factors call for one — the pending token
   * of the second step instead of a session (the HTTP route answers it as 202).
   */
  async signIn(input: PatientLoginInput): Promise<PatientLoginResult | SecondFactorNeeded> {
    // Both hashes are admitted before anything is read or counted: a full queue refuses at once
    // (503) and the attempt neither counts toward the lockout nor half-runs.
    const ticket = this.deps.secrets.admit(2);
    try {
      return await this.attempt(input, ticket);
    } finally {
      ticket.release();
    }
  }

  private async attempt(
    input: PatientLoginInput,
    ticket: HashTicket,
  ): Promise<PatientLoginResult | SecondFactorNeeded> {
    const { db, secrets, lockout, sessions, audit } = this.deps;
    const { account, patient, notEnrolledId } = await beginAttempt(this.deps, input.ssn);
    // Registered but not enrolled: nothing to check, no hashing spent; say so plainly.
    if (notEnrolledId !== null) await refuseNotEnrolled(this.deps, notEnrolledId);
    // Both factors are verified every time (no short-circuit): which one was wrong must not
    // show in the timing, and an unknown SSN costs the same two argon2id runs. Decision: not one
    // run plus a wait for unknown SSNs — the same work is what keeps the timing the same under
    // any load, and the bounded pool already caps what a flood of them can cost.
    const [pin, password] = await Promise.all([
      secrets.verify(patient?.pinHash, input.pin, 'pin', ticket),
      secrets.verify(patient?.passwordHash, input.password, 'password', ticket),
    ]);

    if (patient === undefined || !pin.ok || !password.ok || patient.status !== 'active') {
      await recordRejected(this.deps, account, patient?.id ?? null, 'login.failure');
      throw credentialsRejected();
    }

    // Upgrade weaker verifiers now that we hold the secrets (hashed before the transaction, so
    // the write lock is never held across argon2; skipped, for a later login, when the queue is full).
    const [newPin, newPassword] = await Promise.all([
      pin.needsRehash ? secrets.upgrade(input.pin, 'pin') : undefined,
      password.needsRehash ? secrets.upgrade(input.password, 'password') : undefined,
    ]);
    const actor: Actor = { userId: patient.id, role: 'patient' };
    const session = await withTransaction(db, async (tx) => {
      if (newPin !== undefined) await upgradePatientHash(tx, patient.id, 'pin_hash', patient.pinHash, newPin);
      if (newPassword !== undefined)
        await upgradePatientHash(tx, patient.id, 'password_hash', patient.passwordHash, newPassword);
      // A second factor to come: no session, and the lockout not cleared until it verifies.
      const pending = await this.secondFactors?.begin(tx, actor, account);
      if (pending !== undefined) return pending;
      await lockout.recordSuccess(tx, account);
      const created = await sessions.create(tx, actor);
      await audit.append(tx, {
        actor,
        action: 'login.success',
        target: { type: 'patient', id: patient.id },
        patientId: patient.id,
        outcome: 'success',
        details: { method: 'patient', rehashed: newPin !== undefined || newPassword !== undefined },
      });
      return created;
    });
    if ('secondFactor' in session) return session;
    return { token: session.token, expiresAt: session.expiresAt, user: { id: patient.id, role: 'patient' } };
  }
}

/**
 * The start of every SSN-proven attempt (login, recovery, reset): the account's lockout key and
 * the patient behind the SSN, if any.
 * @throws AppError rate_limited while locked; login_failed for a malformed SSN (the route's
 *   schema normally refuses it first; an SSN that cannot exist is just a wrong factor).
 */
export async function beginAttempt(
  deps: PatientServiceDeps,
  ssn: string,
): Promise<{ account: string; patient: EnrolledPatient | undefined; notEnrolledId: string | null }> {
  if (normaliseSsn(ssn) === null) throw credentialsRejected();
  const ssnIndex = await deps.secrets.ssnIndex(ssn);
  const account = lockoutAccount(ssnIndex);
  await deps.lockout.assertOpen(deps.db, account);
  const found = await findPatientCredentials(deps.db, ssnIndex);
  const patient = enrolled(found);
  return { account, patient, notEnrolledId: found !== undefined && patient === undefined ? found.id : null };
}

/** A patient who has enrolled: every verifier present. */
export type EnrolledPatient = PatientCredentialRow & {
  readonly pinHash: string;
  readonly passwordHash: string;
  readonly recoveryHash: string;
};

/**
 * The patient if they have enrolled, else undefined: a registered patient who has not chosen a
 * PIN and password yet has nothing to check, and is treated by recovery and reset exactly like
 * an unknown SSN.
 */
export function enrolled(row: PatientCredentialRow | undefined): EnrolledPatient | undefined {
  if (row === undefined || row.pinHash === null || row.passwordHash === null || row.recoveryHash === null)
    return undefined;
  return { ...row, pinHash: row.pinHash, passwordHash: row.passwordHash, recoveryHash: row.recoveryHash };
}

/**
 * Refuses a login for a registered patient who has not enrolled yet, with an entry in their
 * history (not counted toward the lockout: no secret was tried).
 * @throws AppError not_enrolled, always.
 */
async function refuseNotEnrolled(deps: PatientServiceDeps, patientId: string): Promise<never> {
  await withTransaction(deps.db, (tx) =>
    deps.audit.append(tx, {
      actor: null,
      action: 'login.failure',
      target: { type: 'patient', id: patientId },
      patientId,
      outcome: 'denied',
      details: { method: 'patient', reason: 'not_enrolled' },
    }),
  );
  throw new AppError('not_enrolled');
}

/**
 * Counts a failed attempt and writes its ledger entries (and `account.locked` when this failure
 * locked the account) in a transaction of its own that commits; the caller throws after. Why
 * apart: were the count written in a transaction the thrown error rolls back, guessing would be
 * free.
 */
export async function recordRejected(
  deps: PatientServiceDeps,
  account: string,
  patientId: string | null,
  action: Extract<
    AuditAction,
    | 'login.failure'
    | 'pin.recover'
    | 'pin.reset'
    | 'patient.enrol'
    | 'pin.change'
    | 'password.change'
    | 'recovery_code.renew'
  >,
  actor: Actor | null = null,
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const { locked, retryAfterSeconds } = await deps.lockout.recordFailure(tx, account);
    const target = patientId === null ? null : { type: 'patient', id: patientId };
    // Never which factor failed, nor anything typed: the ledger is not encrypted.
    await deps.audit.append(tx, {
      actor,
      action,
      target,
      patientId,
      outcome: 'failure',
      details: { method: 'patient' },
    });
    if (locked) {
      await deps.audit.append(tx, {
        actor: null,
        action: 'account.locked',
        target,
        patientId,
        outcome: 'success',
        details: { retryAfterSeconds },
      });
    }
  });
}

import { checkPassword } from '../../crypto/password-policy.js';
import { recoveryCode } from '../../crypto/random-token.js';
import type { SecretPurpose } from '../../crypto/password-hash.js';
import { withTransaction } from '../../store/database.js';
import {
  findPatientCredentialsById,
  findPatientDemographics,
  replacePatientVerifier,
} from '../../store/patient-repository.js';
import type { AccessScope } from '../access/index.js';
import type { Actor } from '../actor.js';
import { AppError, conflict, invalidInput } from '../errors.js';
import type { HashTicket } from './hash-pool.js';
import type { PatientServiceDeps } from './patient-deps.js';
import { enrolled, recordRejected, type EnrolledPatient } from './patient-login.js';
import { assertPin, lockoutAccount } from './patient-secrets.js';
import { openText, patientField } from './patients.js';
import type { SessionView } from './sessions.js';

export interface PasswordChange {
  readonly currentPassword: string;
  readonly pin: string;
  readonly newPassword: string;
}

export interface PinChange {
  readonly currentPin: string;
  readonly password: string;
  readonly newPin: string;
}

export interface CredentialProof {
  readonly pin: string;
  readonly password: string;
}

type SelfServiceAction = 'password.change' | 'pin.change' | 'recovery_code.renew';

/**
 * A signed-in patient's own account (issue 14): change password (proven with the current
 * password and PIN), change PIN (current PIN and password), a new recovery code (PIN and
 * password), list their sessions and sign out everywhere else. A session alone never changes a
 * credential: both secrets are checked, the attempt counted against the patient's lockout
 * account first (a stolen session cannot guess the PIN any faster than a login can), a wrong one
 * answers 403 `credentials_mismatch`. A changed PIN or password ends every other session. Each
 * action is a ledger entry about the patient, so it shows in their access history.
 */
export class PatientAccount {
  constructor(private readonly deps: PatientServiceDeps) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** @throws AppError forbidden, weak_password, credentials_mismatch, rate_limited, credential_queue_full. */
  async changePassword(scope: AccessScope, sessionToken: string, input: PasswordChange): Promise<void> {
    scope.require('account.self');
    // Two checks and the new verifier.
    await this.proven(
      scope,
      'password.change',
      { pin: input.pin, password: input.currentPassword },
      3,
      async (patient, ticket) => {
        await this.assertStrongPassword(patient.id, input.newPassword);
        const hash = await this.deps.secrets.hash(input.newPassword, 'password', ticket);
        return { column: 'password_hash', from: patient.passwordHash, to: hash, endOthers: true };
      },
      sessionToken,
    );
  }

  /** @throws AppError forbidden, invalid_input, credentials_mismatch, rate_limited, credential_queue_full. */
  async changePin(scope: AccessScope, sessionToken: string, input: PinChange): Promise<void> {
    scope.require('account.self');
    assertPin(input.newPin, 'new PIN');
    await this.proven(
      scope,
      'pin.change',
      { pin: input.currentPin, password: input.password },
      3,
      async (patient, ticket) => {
        const hash = await this.deps.secrets.hash(input.newPin, 'pin', ticket);
        return { column: 'pin_hash', from: patient.pinHash, to: hash, endOthers: true };
      },
      sessionToken,
    );
  }

  /** A new recovery code (shown once; the old one stops working). */
  async renewRecoveryCode(scope: AccessScope, input: CredentialProof): Promise<{ recoveryCode: string }> {
    scope.require('account.self');
    const code = recoveryCode();
    await this.proven(scope, 'recovery_code.renew', input, 2, async (patient) => ({
      column: 'recovery_hash',
      from: patient.recoveryHash,
      to: await this.deps.secrets.recoveryVerifier(patient.id, code),
      endOthers: false,
    }));
    return { recoveryCode: code };
  }

  /** The patient's open sessions, newest first, the current one marked. */
  async sessions(scope: AccessScope, sessionToken: string | undefined): Promise<SessionView[]> {
    scope.require('account.self');
    return this.deps.sessions.listOpen(this.deps.db, scope.userId, sessionToken);
  }

  /** Ends every session of the patient but this one ("sign out everywhere else"). */
  async endOtherSessions(scope: AccessScope, sessionToken: string): Promise<{ ended: number }> {
    scope.require('account.self');
    const { db, sessions, audit } = this.deps;
    const ended = await withTransaction(db, async (tx) => {
      const n = await sessions.revokeOthers(tx, scope.userId, sessionToken);
      await audit.append(tx, {
        actor: scope.actor,
        action: 'sessions.end_others',
        target: { type: 'patient', id: scope.userId },
        patientId: scope.userId,
        outcome: 'success',
        details: { sessionsRevoked: n },
      });
      return n;
    });
    return { ended };
  }

  /**
   * Checks PIN and password of the signed-in patient (counted against their lockout first),
   * then applies the change `make` computes, guarded by the verifier it replaces, with its
   * ledger entry in the same transaction.
   */
  private async proven(
    scope: AccessScope,
    action: SelfServiceAction,
    proof: CredentialProof,
    hashes: number,
    make: (
      patient: EnrolledPatient,
      ticket: HashTicket,
    ) => Promise<{
      column: 'pin_hash' | 'password_hash' | 'recovery_hash';
      from: string;
      to: string;
      endOthers: boolean;
    }>,
    sessionToken?: string,
  ): Promise<void> {
    const { db, secrets, lockout, sessions, audit } = this.deps;
    const ticket = secrets.admit(hashes);
    try {
      const patient = enrolled(await findPatientCredentialsById(db, scope.userId));
      if (patient === undefined) throw new AppError('forbidden');
      const account = lockoutAccount(Buffer.from(patient.ssnIndex));
      await lockout.assertOpen(db, account);
      const [pin, password] = await Promise.all([
        secrets.verify(patient.pinHash, proof.pin, 'pin' satisfies SecretPurpose, ticket),
        secrets.verify(patient.passwordHash, proof.password, 'password', ticket),
      ]);
      const actor: Actor = scope.actor;
      if (!pin.ok || !password.ok) {
        await recordRejected(this.deps, account, patient.id, action, actor);
        throw new AppError('credentials_mismatch');
      }
      const change = await make(patient, ticket);
      await withTransaction(db, async (tx) => {
        if (!(await replacePatientVerifier(tx, patient.id, change.column, change.from, change.to)))
          throw conflict('Your credentials changed meanwhile. Try again.');
        const sessionsRevoked =
          change.endOthers && sessionToken !== undefined
            ? await sessions.revokeOthers(tx, patient.id, sessionToken)
            : 0;
        await lockout.recordSuccess(tx, account);
        await audit.append(tx, {
          actor,
          action,
          target: { type: 'patient', id: patient.id },
          patientId: patient.id,
          outcome: 'success',
          details: { sessionsRevoked },
        });
      });
    } finally {
      ticket.release();
    }
  }

  /** The password policy, with the patient's own identity as words a password must not be built from. */
  private async assertStrongPassword(patientId: string, password: string): Promise<void> {
    const { db, dataKeys } = this.deps;
    const row = await findPatientDemographics(db, patientId);
    if (row === undefined) throw new AppError('forbidden');
    const [ssn, fullName, dateOfBirth] = await Promise.all([
      openText(dataKeys, db, patientField(patientId, 'ssn'), row.ssnCt),
      openText(dataKeys, db, patientField(patientId, 'name'), row.nameCt),
      openText(dataKeys, db, patientField(patientId, 'dob'), row.dobCt),
    ]);
    const check = checkPassword(password, [ssn, fullName, dateOfBirth]);
    if (!check.ok) throw invalidInput(check.reason, 'weak_password');
  }
}

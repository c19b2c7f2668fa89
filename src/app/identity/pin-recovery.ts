import { hashToken, randomToken, recoveryCode } from '../../crypto/random-token.js';
import { withTransaction } from '../../store/database.js';
import {
  replacePinByRecovery,
  replacePinByResetToken,
  setPinResetToken,
  type PatientCredentialRow,
} from '../../store/patient-repository.js';
import type { AccessScope } from '../access/index.js';
import type { HashTicket } from './hash-pool.js';
import type { PatientServiceDeps } from './patient-deps.js';
import { beginAttempt, recordRejected } from './patient-login.js';
import { credentialsRejected, assertPin, sameSecret } from './patient-secrets.js';
import { openText, patientField } from './patients.js';

/** A registrar-issued reset token is good for this long, once. */
export const RESET_TOKEN_TTL_MS = 24 * 60 * 60_000;

export interface SelfServiceRecovery {
  readonly ssn: string;
  readonly password: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
  readonly recoveryCode: string;
  readonly newPin: string;
}

export interface TokenReset {
  readonly ssn: string;
  readonly password: string;
  readonly resetToken: string;
  readonly newPin: string;
}

/**
 * Forgotten PINs (after the CIS 5370 prototype): self-service with SSN + password + date of
 * birth + recovery code, which sets the PIN and issues a new recovery code; or a registrar's
 * one-time reset token with SSN + password. Both end every session of the patient. Why nothing is
 * re-encrypted: credentials only prove who someone is; no data key derives from them (DESIGN.md
 * principle 1), so a new PIN changes a verifier and nothing else.
 *
 * Every wrong factor gives the same 401 `login_failed` and counts toward the same lockout as the
 * login (keyed by the SSN's blind index), so recovery is no side door for guessing.
 */
export class PinRecovery {
  constructor(private readonly deps: PatientServiceDeps) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /**
   * Self-service recovery. Returns the new recovery code (shown once; the old one stops working).
   * @throws AppError invalid_input (new PIN not 6 digits), rate_limited, login_failed,
   *   credential_queue_full (503: the hashing queue is full; nothing checked or counted).
   */
  async recover(input: SelfServiceRecovery): Promise<{ recoveryCode: string }> {
    assertPin(input.newPin, 'new PIN');
    // The password check and the new PIN's hash are admitted before anything is read or counted.
    const ticket = this.deps.secrets.admit(2);
    try {
      return await this.recoverAdmitted(input, ticket);
    } finally {
      ticket.release();
    }
  }

  private async recoverAdmitted(
    input: SelfServiceRecovery,
    ticket: HashTicket,
  ): Promise<{ recoveryCode: string }> {
    const { db, secrets, sessions, lockout, audit } = this.deps;
    const { account, patient } = await beginAttempt(this.deps, input.ssn);
    // Password and recovery code are both checked every time (a random password verifier when
    // the SSN is unknown; the code's HMAC is microseconds beside it): no short-circuit tells
    // which factor failed.
    const [password, codeOk] = await Promise.all([
      secrets.verify(patient?.passwordHash, input.password, 'password', ticket),
      secrets.recoveryCodeMatches(patient, input.recoveryCode),
    ]);
    const dobOk = await this.dateOfBirthMatches(patient, input.dateOfBirth);
    if (patient === undefined || !password.ok || !codeOk || !dobOk || patient.status !== 'active') {
      await recordRejected(this.deps, account, patient?.id ?? null, 'pin.recover');
      throw credentialsRejected();
    }

    const newCode = recoveryCode();
    const [pinHash, recoveryHash] = await Promise.all([
      secrets.hash(input.newPin, 'pin', ticket),
      secrets.recoveryVerifier(patient.id, newCode),
    ]);
    const applied = await withTransaction(db, async (tx) => {
      // Guarded by the code just verified: a concurrent recovery with the same code loses.
      const changed = await replacePinByRecovery(tx, patient.id, {
        usedRecoveryHash: patient.recoveryHash,
        pinHash,
        recoveryHash,
      });
      if (!changed) return false;
      const sessionsRevoked = await sessions.revokeAll(tx, patient.id);
      await lockout.recordSuccess(tx, account);
      await audit.append(tx, {
        actor: { userId: patient.id, role: 'patient' },
        action: 'pin.recover',
        target: { type: 'patient', id: patient.id },
        patientId: patient.id,
        outcome: 'success',
        details: { sessionsRevoked },
      });
      return true;
    });
    if (!applied) {
      await recordRejected(this.deps, account, patient.id, 'pin.recover');
      throw credentialsRejected();
    }
    return { recoveryCode: newCode };
  }

  /**
   * Registrar-assisted reset, step 1: a one-time token, valid 24 hours, handed to the patient
   * in person. Only its SHA-256 is stored; issuing another replaces the first.
   * @throws AppError forbidden (not a registrar), not_found (no such patient).
   */
  async issueReset(
    scope: AccessScope,
    patientId: string,
  ): Promise<{ resetToken: string; expiresAt: number }> {
    const { db, audit } = this.deps;
    await scope.duty(db, patientId, 'pin.reset');
    const resetToken = randomToken(32);
    const expiresAt = this.now() + RESET_TOKEN_TTL_MS;
    await withTransaction(db, async (tx) => {
      await setPinResetToken(tx, patientId, hashToken(resetToken).toString('hex'), expiresAt);
      await audit.append(tx, {
        actor: scope.actor,
        action: 'pin.reset',
        target: { type: 'patient', id: patientId },
        patientId,
        outcome: 'success',
        details: { stage: 'issued', expiresAt },
      });
    });
    return { resetToken, expiresAt };
  }

  /**
   * Registrar-assisted reset, step 2: the patient proves SSN + password + token and sets a new
   * PIN; the token is consumed.
   * @throws AppError invalid_input (new PIN not 6 digits), rate_limited, login_failed,
   *   credential_queue_full (503: the hashing queue is full; nothing checked or counted).
   */
  async resetWithToken(input: TokenReset): Promise<void> {
    assertPin(input.newPin, 'new PIN');
    // The password check and the new PIN's hash are admitted before anything is read or counted.
    const ticket = this.deps.secrets.admit(2);
    try {
      await this.resetAdmitted(input, ticket);
    } finally {
      ticket.release();
    }
  }

  private async resetAdmitted(input: TokenReset, ticket: HashTicket): Promise<void> {
    const { db, secrets, sessions, lockout, audit } = this.deps;
    const now = this.now();
    const { account, patient } = await beginAttempt(this.deps, input.ssn);
    const password = await secrets.verify(patient?.passwordHash, input.password, 'password', ticket);
    const tokenHash = hashToken(input.resetToken).toString('hex');
    // Constant-time compare of hashes; an unknown patient compares against a value that never matches.
    const tokenOk =
      sameSecret(patient?.resetHash ?? '', tokenHash) &&
      patient?.resetHash != null &&
      (patient.resetExpiresAt ?? 0) > now;
    if (patient === undefined || !password.ok || !tokenOk || patient.status !== 'active') {
      await recordRejected(this.deps, account, patient?.id ?? null, 'pin.reset');
      throw credentialsRejected();
    }
    const pinHash = await secrets.hash(input.newPin, 'pin', ticket);
    const applied = await withTransaction(db, async (tx) => {
      // Consumes the token: a second use (or a concurrent one) finds it gone.
      if (!(await replacePinByResetToken(tx, patient.id, { resetHash: tokenHash, pinHash, now })))
        return false;
      const sessionsRevoked = await sessions.revokeAll(tx, patient.id);
      await lockout.recordSuccess(tx, account);
      await audit.append(tx, {
        actor: { userId: patient.id, role: 'patient' },
        action: 'pin.reset',
        target: { type: 'patient', id: patient.id },
        patientId: patient.id,
        outcome: 'success',
        details: { stage: 'completed', sessionsRevoked },
      });
      return true;
    });
    if (!applied) {
      await recordRejected(this.deps, account, patient.id, 'pin.reset');
      throw credentialsRejected();
    }
  }

  /**
   * Whether `given` is the patient's date of birth (constant-time compare; false for no patient).
   * The decryption skipped for an unknown SSN costs microseconds beside the argon2id runs.
   */
  private async dateOfBirthMatches(
    patient: PatientCredentialRow | undefined,
    given: string,
  ): Promise<boolean> {
    if (patient === undefined) return false;
    const stored = await openText(
      this.deps.dataKeys,
      this.deps.db,
      patientField(patient.id, 'dob'),
      patient.dobCt,
    );
    return sameSecret(stored, given);
  }
}

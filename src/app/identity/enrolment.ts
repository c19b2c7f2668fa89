import { normaliseSsn } from '../../crypto/blind-index.js';
import { checkPassword } from '../../crypto/password-policy.js';
import { recoveryCode } from '../../crypto/random-token.js';
import { withTransaction } from '../../store/database.js';
import { completeEnrolment, findEnrolment } from '../../store/enrolment-repository.js';
import { wasReenrolled } from '../../store/reenrolment-repository.js';
import {
  findPatientCredentials,
  findPatientCredentialsById,
  findPatientDemographics,
  type PatientCredentialRow,
} from '../../store/patient-repository.js';
import type { AccessScope } from '../access/index.js';
import { AppError, conflict, invalidInput, notFound } from '../errors.js';
import type { EnrolmentCodes, IssuedEnrolmentCode } from './enrolment-codes.js';
import type { HashTicket } from './hash-pool.js';
import type { PatientServiceDeps } from './patient-deps.js';
import { recordRejected } from './patient-login.js';
import { assertPin, lockoutAccount } from './patient-secrets.js';
import { openText, patientField } from './patients.js';

export interface EnrolmentInput {
  readonly ssn: string;
  readonly enrolmentCode: string;
  readonly pin: string;
  readonly password: string;
}

/**
 * Patient enrolment (issue 14): the patient, not the registrar, chooses PIN and password. The
 * registrar's registration hands over a one-time enrolment code; at the portal the patient proves
 * SSN + code, chooses PIN and password and receives the recovery code, once. Until then the
 * account has no verifiers and cannot log in.
 *
 * Guessing is bounded like a login: each attempt is counted against the SSN's lockout account
 * before the code is checked (the same account key as login and recovery), and the route shares
 * the per-address credential budget. A wrong code, an unknown SSN and "no code issued" give one
 * answer (401 `enrolment_code_invalid`); only a caller who holds the right code learns that it
 * expired (401 `enrolment_code_expired`) or was spent (409 `enrolment_code_used`).
 */
export class PatientEnrolment {
  constructor(
    private readonly deps: PatientServiceDeps,
    private readonly codes: EnrolmentCodes,
  ) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /**
   * Activates a registered patient: sets PIN and password, answers the recovery code (shown once).
   * @throws AppError invalid_input (PIN not 6 digits), weak_password, enrolment_code_invalid,
   *   enrolment_code_expired, enrolment_code_used, rate_limited (locked), credential_queue_full.
   */
  async activate(input: EnrolmentInput): Promise<{ recoveryCode: string }> {
    assertPin(input.pin);
    // The PIN's and password's hashes are admitted before anything is read or counted.
    const ticket = this.deps.secrets.admit(2);
    try {
      return await this.activateAdmitted(input, ticket);
    } finally {
      ticket.release();
    }
  }

  private async activateAdmitted(
    input: EnrolmentInput,
    ticket: HashTicket,
  ): Promise<{ recoveryCode: string }> {
    const { db, secrets, lockout, audit } = this.deps;
    const ssn = normaliseSsn(input.ssn);
    if (ssn === null) throw new AppError('enrolment_code_invalid');
    const ssnIndex = await secrets.ssnIndex(ssn);
    const account = lockoutAccount(ssnIndex);
    await lockout.assertOpen(db, account);
    const found = await findPatientCredentials(db, ssnIndex);
    const stored = found === undefined ? undefined : await findEnrolment(db, found.id);
    const codeOk = await secrets.enrolmentCodeMatches(found?.id, stored?.codeHash, input.enrolmentCode);
    if (found === undefined || stored === undefined || !codeOk || found.status !== 'active') {
      await recordRejected(this.deps, account, found?.id ?? null, 'patient.enrol');
      throw new AppError('enrolment_code_invalid');
    }
    // The right code from here on: saying what is wrong with it tells its holder nothing new.
    // The attempt stays counted (assertOpen) unless the enrolment succeeds: whoever holds a
    // spent or expired code (the registrar who printed it) must not be able to clear the
    // SSN's lockout, which login and recovery share, between guesses.
    if (stored.usedAt !== null || found.pinHash !== null) throw codeUsed();
    const now = this.now();
    if (stored.expiresAt <= now) throw new AppError('enrolment_code_expired');
    await this.assertStrongPassword(found, ssn, input.password);

    const code = recoveryCode();
    const [pinHash, passwordHash, recoveryHash] = await Promise.all([
      secrets.hash(input.pin, 'pin', ticket),
      secrets.hash(input.password, 'password', ticket),
      secrets.recoveryVerifier(found.id, code),
    ]);
    await withTransaction(db, async (tx) => {
      const applied = await completeEnrolment(tx, {
        patientId: found.id,
        codeHash: stored.codeHash,
        pinHash,
        passwordHash,
        recoveryHash,
        now,
      });
      // A concurrent activation with the same code won: roll back, say it was used.
      if (!applied) throw codeUsed();
      await lockout.recordSuccess(tx, account);
      await audit.append(tx, {
        actor: { userId: found.id, role: 'patient' },
        action: 'patient.enrol',
        target: { type: 'patient', id: found.id },
        patientId: found.id,
        outcome: 'success',
        details: {},
      });
    });
    return { recoveryCode: code };
  }

  /** The password policy, with the patient's own identity as words the password must not be built from. */
  private async assertStrongPassword(
    patient: PatientCredentialRow,
    ssn: string,
    password: string,
  ): Promise<void> {
    const { dataKeys, db } = this.deps;
    const demographics = await findPatientDemographics(db, patient.id);
    if (demographics === undefined) throw new AppError('enrolment_code_invalid');
    const [fullName, dateOfBirth] = await Promise.all([
      openText(dataKeys, db, patientField(patient.id, 'name'), demographics.nameCt),
      openText(dataKeys, db, patientField(patient.id, 'dob'), demographics.dobCt),
    ]);
    const check = checkPassword(password, [ssn, fullName, dateOfBirth]);
    if (!check.ok) throw invalidInput(check.reason, 'weak_password');
  }

  /**
   * A new enrolment code for a patient who has not enrolled yet (the slip was lost or the code
   * expired); the earlier code stops working. Registrars only; a patient who has enrolled is
   * refused (409 `already_enrolled`): replacing their credentials is re-enrolment, not this. So is
   * a patient whose re-enrolment was approved and who has not activated yet: their code went to
   * the approving registrar only, and a lost one is a new re-enrolment request (two registrars),
   * never a code one registrar prints alone.
   * @throws AppError forbidden, not_found, already_enrolled.
   */
  async reissue(scope: AccessScope, patientId: string): Promise<IssuedEnrolmentCode> {
    const { db } = this.deps;
    await scope.duty(db, patientId, 'patients.register');
    const now = this.now();
    const prepared = await this.codes.prepare(patientId, now);
    await withTransaction(db, async (tx) => {
      const patient = await findPatientCredentialsById(tx, patientId);
      if (patient === undefined) throw notFound('patient');
      if (patient.pinHash !== null || (await wasReenrolled(tx, patientId)))
        throw conflict(
          'This patient has already enrolled. A patient who lost everything is re-enrolled (two registrars).',
          'already_enrolled',
        );
      await this.codes.store(tx, scope.actor, patientId, prepared, now);
    });
    return { enrolmentCode: prepared.enrolmentCode, expiresAt: prepared.expiresAt };
  }
}

function codeUsed(): AppError {
  return conflict(
    'This enrolment code has already been used. Sign in with your PIN and password.',
    'enrolment_code_used',
  );
}

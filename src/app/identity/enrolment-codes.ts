import { enrolmentCode } from '../../crypto/random-token.js';
import type { DbOrTx } from '../../store/database.js';
import { putEnrolmentCode } from '../../store/enrolment-repository.js';
import type { Actor } from '../actor.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import type { PatientSecrets } from './patient-secrets.js';

/** Default life of an enrolment code (`MEDVAULT_ENROLMENT_CODE_HOURS`): 72 hours. */
export const DEFAULT_ENROLMENT_CODE_TTL_MS = 72 * 3_600_000;

/** A freshly issued enrolment code: the only time it exists in clear. */
export interface IssuedEnrolmentCode {
  readonly enrolmentCode: string;
  readonly expiresAt: number;
}

/**
 * Issues patients' one-time enrolment codes: 120 random bits (random-token.ts), stored only as a
 * keyed HMAC bound to the patient (the recovery code's construction, lookup-secret.ts), single
 * use, expiring after the configured time. Each issue is a ledger entry (never the code).
 */
export class EnrolmentCodes {
  constructor(
    private readonly secrets: PatientSecrets,
    private readonly audit: LedgerAppend,
    private readonly ttlMs: number,
  ) {}

  /** Makes a code and its verifier (before the transaction: the pepper may be read from the keyring). */
  async prepare(patientId: string, now: number): Promise<IssuedEnrolmentCode & { codeHash: string }> {
    const code = enrolmentCode();
    return {
      enrolmentCode: code,
      expiresAt: now + this.ttlMs,
      codeHash: await this.secrets.enrolmentVerifier(patientId, code),
    };
  }

  /** Stores a prepared code (replacing any earlier one) and its ledger entry, in `tx`. */
  async store(
    tx: DbOrTx,
    actor: Actor,
    patientId: string,
    prepared: IssuedEnrolmentCode & { codeHash: string },
    now: number,
  ): Promise<void> {
    await putEnrolmentCode(tx, {
      patientId,
      codeHash: prepared.codeHash,
      expiresAt: prepared.expiresAt,
      issuedBy: actor.userId,
      now,
    });
    await this.audit.append(tx, {
      actor,
      action: 'enrolment.issue',
      target: { type: 'patient', id: patientId },
      patientId,
      outcome: 'success',
      details: { expiresAt: prepared.expiresAt },
    });
  }
}

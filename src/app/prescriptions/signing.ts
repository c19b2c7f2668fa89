import { randomUUID } from 'node:crypto';
import type { SignatureAlgorithm } from '../../crypto/signature.js';
import { withTransaction } from '../../store/database.js';
import { findMedicine } from '../../store/medicine-repository.js';
import { insertPrescription, payloadHashExists } from '../../store/prescription-repository.js';
import { isUniqueViolation } from '../../store/unique-violation.js';
import { reachDetails, type AccessScope } from '../access/index.js';
import { AppError, conflict, invalidInput, signatureRefused } from '../errors.js';
import { payloadContext, type PrescriptionDeps } from './deps.js';
import {
  canonicalPayload,
  MAX_VALIDITY_MS,
  PayloadFormatError,
  type PrescriptionPayload,
} from './payload.js';
import { warningsFor } from './prescribing-checks.js';
import { prescriptionSignatureVerdict } from './signature-check.js';
import { sha256Hex } from './verifier.js';

/** A signed prescription as submitted: the payload object, its signature (base64) and key id. */
export interface SignedSubmission {
  readonly payload: unknown;
  readonly signature: string;
  readonly keyId: string;
}

export interface SignedPrescription {
  readonly id: string;
  readonly patientId: string;
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  /** SHA-256 (hex) of the canonical payload bytes (the signed message is its context line + these). */
  readonly payloadSha256: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly fillsRemaining: number;
}

/** How far a signed issue time may be from the server's clock (signing takes seconds, clocks drift). */
export const ISSUE_SKEW_MS = 10 * 60_000;

/** Controlled substances: schedule II may not be refilled (21 CFR 1306.12); III–V at most 5 times (1306.22). */
const MAX_REFILLS_BY_SCHEDULE: Readonly<Record<string, number>> = { II: 0, III: 5, IV: 5, V: 5 };

/**
 * Accepts a prescription a doctor signed in their browser or with `medvault rx sign`. The server
 * never sees a private key: it checks the payload, that the doctor may write to the patient's
 * record (care team, a 'read_write' grant covering prescriptions, or break-glass), that the key is the
 * caller's own unrevoked registered key, and the signature over the prescription message (the
 * context line and the canonical bytes, src/contract/signing); then stores
 * the payload envelope-encrypted under its own DEK with the signature and the bytes' hash, and
 * writes the ledger entry in the same transaction.
 */
export class PrescriptionSigning {
  constructor(private readonly deps: PrescriptionDeps) {}

  /**
   * @throws AppError forbidden (not a doctor), not_found (patient or their prescriptions not
   *   reachable), read_only_access (may read them but not prescribe), invalid_input
   *   (payload, times, medicine, key id or prescriber mismatch), integrity (key or signature:
   *   `unknown_signing_key`, `signing_key_revoked`, `invalid_signature`, `legacy_signature`), conflict
   *   (`duplicate_prescription`: these exact signed bytes were submitted before),
   *   `prescribing_warnings` (422: an allergy or duplicate warning and no signed override reason).
   */
  async submit(scope: AccessScope, input: SignedSubmission): Promise<SignedPrescription> {
    scope.require('prescriptions.sign');
    const { db, audit, clock } = this.deps;
    const now = clock();
    let canonical: string;
    try {
      canonical = canonicalPayload(input.payload);
    } catch (err) {
      if (err instanceof PayloadFormatError) throw invalidInput(err.message, 'invalid_payload');
      throw err;
    }
    const payload = input.payload as PrescriptionPayload;
    if (payload.keyId !== input.keyId)
      throw invalidInput('keyId must be the key id inside the signed payload.', 'key_id_mismatch');
    if (payload.prescriberId !== scope.userId)
      throw invalidInput('prescriberId must be your own user id.', 'prescriber_mismatch');
    const reach = await scope.patient(db, payload.patientId, 'write', 'prescription');
    await this.checkContents(payload, now);

    const bytes = Buffer.from(canonical, 'utf8');
    const key = await this.deps.signerKeys.find(db, input.keyId);
    const refuse = async (error: AppError): Promise<never> => {
      // A refused signature is evidence too (someone signed with a wrong or revoked key).
      await audit.append(db, {
        actor: scope.actor,
        action: 'prescription.sign',
        target: null,
        patientId: payload.patientId,
        outcome: 'failure',
        details: { keyId: input.keyId, reason: error.code },
      });
      throw error;
    };
    if (key === undefined || key.row.userId !== scope.userId || key.parsed === undefined)
      return refuse(signatureRefused('This key is not one of your registered keys.', 'unknown_signing_key'));
    if (key.row.revokedAt !== null)
      return refuse(signatureRefused('This signing key has been revoked.', 'signing_key_revoked'));
    const algorithm = key.parsed.algorithm;
    // Over the prescription message only (context line + canonical payload): a login signature,
    // or a bare-payload one a compromised server could have collected at a login, never passes.
    const verdict = prescriptionSignatureVerdict(key.parsed.verify, canonical, input.signature);
    if (verdict === 'legacy')
      return refuse(
        signatureRefused(
          'The signature covers the bare payload (the old format); sign the prescription message (MedVault prescription v1) with an up-to-date client.',
          'legacy_signature',
        ),
      );
    if (verdict !== 'valid')
      return refuse(
        signatureRefused('The signature does not verify over the prescription message with this key.'),
      );
    // A replay is a replay (409), not a duplicate of itself (the original is active now).
    const payloadSha256 = sha256Hex(bytes);
    if (await payloadHashExists(db, payloadSha256)) throw duplicate();
    // Allergy and duplicate checks (issue 20, point 3): warnings need the doctor's signed reason.
    const checked = await warningsFor(this.deps, reach, payload.medicine);
    if (checked.warnings.length > 0 && payload.override === undefined)
      return refuse(
        new AppError(
          'prescribing_warnings',
          `This prescription raises warnings; sign it again with an override reason. ${checked.warnings
            .map((w) => `[${w.code}] ${w.message}`)
            .join(' ')}`,
        ),
      );

    const id = randomUUID();
    const fillsRemaining = payload.refills + 1;
    try {
      await withTransaction(db, async (tx) => {
        if (await payloadHashExists(tx, payloadSha256)) throw duplicate();
        const payloadCt = await this.deps.dataKeys.seal(tx, payloadContext(id, payload.patientId), bytes);
        await insertPrescription(tx, {
          id,
          patientId: payload.patientId,
          prescriberId: scope.userId,
          keyId: input.keyId,
          algorithm,
          payloadCt,
          payloadSha256,
          signature: input.signature,
          status: 'active',
          fillsRemaining,
          issuedAt: payload.issuedAt,
          expiresAt: payload.expiresAt,
          createdAt: now,
        });
        await audit.append(tx, {
          actor: scope.actor,
          action: 'prescription.sign',
          target: { type: 'prescription', id },
          patientId: payload.patientId,
          outcome: 'success',
          details: {
            prescriptionId: id,
            keyId: input.keyId,
            algorithm,
            payloadSha256,
            warnings: checked.warnings.length,
            overridden: payload.override !== undefined,
            ...reachDetails(reach, 'prescription'),
          },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
    return {
      id,
      patientId: payload.patientId,
      keyId: input.keyId,
      algorithm,
      payloadSha256,
      issuedAt: payload.issuedAt,
      expiresAt: payload.expiresAt,
      fillsRemaining,
    };
  }

  /** Times, validity window, the catalog entry as named, and refill limits for controlled drugs. */
  private async checkContents(p: PrescriptionPayload, now: number): Promise<void> {
    if (Math.abs(p.issuedAt - now) > ISSUE_SKEW_MS)
      throw invalidInput('issuedAt must be the time of signing (within 10 minutes).', 'invalid_issue_time');
    if (p.expiresAt <= now || p.expiresAt <= p.issuedAt || p.expiresAt - p.issuedAt > MAX_VALIDITY_MS)
      throw invalidInput(
        'expiresAt must be in the future and at most a year after issuedAt.',
        'invalid_expiry',
      );
    const medicine = await findMedicine(this.deps.db, p.medicine.id);
    if (
      medicine === undefined ||
      medicine.genericName !== p.medicine.name ||
      medicine.strength !== p.medicine.strength ||
      medicine.form !== p.medicine.form
    )
      throw invalidInput(
        'medicine must name a catalog entry by id, with its name, strength and form.',
        'unknown_medicine',
      );
    const maxRefills = medicine.schedule === null ? undefined : MAX_REFILLS_BY_SCHEDULE[medicine.schedule];
    if (maxRefills !== undefined && p.refills > maxRefills)
      throw invalidInput(
        `Schedule ${medicine.schedule} medicines allow at most ${maxRefills} refills.`,
        'too_many_refills',
      );
  }
}

function duplicate(): AppError {
  return conflict('This signed prescription was already submitted.', 'duplicate_prescription');
}

import { createHash } from 'node:crypto';
import { IntegrityError } from '../../crypto/errors.js';
import type { DbOrTx } from '../../store/database.js';
import type { PrescriptionRow } from '../../store/prescription-repository.js';
import type { DataKeys } from '../data-keys.js';
import { payloadContext } from './deps.js';
import { parseCanonicalPayload, PayloadFormatError, type PrescriptionPayload } from './payload.js';
import { prescriptionSignatureVerdict } from './signature-check.js';
import type { SignerKeys } from './signer-keys.js';

/** Why a stored prescription does not verify. Each is a 422 at dispense, with this code. */
export type VerificationFailure =
  | 'payload_unreadable'
  | 'payload_altered'
  | 'key_mismatch'
  | 'unknown_signing_key'
  | 'algorithm_mismatch'
  | 'signing_key_revoked'
  | 'invalid_signature'
  | 'legacy_signature'
  | 'prescription_expired';

export const FAILURE_MESSAGES: Readonly<Record<VerificationFailure, string>> = {
  payload_unreadable: 'The stored prescription does not decrypt: it was altered or moved.',
  payload_altered: 'The stored prescription no longer matches what the doctor signed.',
  key_mismatch: 'The prescription names a different signing key than the one it was signed with.',
  unknown_signing_key: "The signing key is not one of the prescriber's registered keys.",
  algorithm_mismatch: 'The signing key does not match the recorded signature algorithm.',
  signing_key_revoked: 'The signing key was revoked before this prescription was issued.',
  invalid_signature: "The signature does not verify with the prescriber's registered key.",
  legacy_signature:
    'This prescription was signed in the old format, without the prescription signing context: such a signature could have been collected at a login by a compromised server, so it is not accepted. Ask the prescriber to sign it again.',
  prescription_expired: 'The prescription has expired.',
};

export interface Verification {
  readonly valid: boolean;
  /** Null when valid. */
  readonly failure: VerificationFailure | null;
  readonly message: string;
  readonly keyId: string;
  readonly algorithm: string;
  readonly keyRevokedAt: number | null;
  /** The signed payload, when it could be read back (also when the signature fails). */
  readonly payload: PrescriptionPayload | undefined;
  /** The exact signed text, when readable. */
  readonly canonical: string | undefined;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Re-verifies a stored prescription from scratch, trusting nothing stored beside the payload:
 * decrypt it (bound to its row and patient), check the hash of the signed bytes, that they are
 * the canonical form, that the clear columns the queue uses say what the payload says, that the
 * key named is the prescriber's registered key with the recorded algorithm and was not revoked
 * before the prescription existed, that the signature verifies over the prescription message
 * (context line + canonical payload; a bare-payload signature is `legacy_signature`, never valid),
 * and that it has not expired.
 *
 * Revocation: a key revoked AFTER a prescription was issued and received does not void it
 * (revoking stops new signatures; the history stays explainable). "Before" is measured against
 * the later of the signed issue time and the server's receipt time, so a stolen key cannot
 * backdate a prescription to before its revocation.
 */
export async function verifyStored(
  deps: { db: DbOrTx; dataKeys: DataKeys; signerKeys: SignerKeys },
  row: PrescriptionRow,
  now: number,
): Promise<Verification> {
  const base = { keyId: row.keyId, algorithm: row.algorithm, keyRevokedAt: null as number | null };
  const fail = (
    failure: VerificationFailure,
    extra: Partial<Pick<Verification, 'payload' | 'canonical' | 'keyRevokedAt'>> = {},
  ): Verification => ({
    ...base,
    payload: undefined,
    canonical: undefined,
    ...extra,
    valid: false,
    failure,
    message: FAILURE_MESSAGES[failure],
  });

  let bytes: Buffer;
  try {
    bytes = await deps.dataKeys.open(deps.db, payloadContext(row.id, row.patientId), row.payloadCt);
  } catch (err) {
    if (err instanceof IntegrityError) return fail('payload_unreadable');
    throw err;
  }
  if (sha256Hex(bytes) !== row.payloadSha256) return fail('payload_altered');
  const canonical = bytes.toString('utf8');
  let payload: PrescriptionPayload;
  try {
    payload = parseCanonicalPayload(canonical);
  } catch (err) {
    if (err instanceof PayloadFormatError) return fail('payload_altered');
    throw err;
  }
  const read = { payload, canonical };
  if (payload.keyId !== row.keyId) return fail('key_mismatch', read);
  if (
    payload.patientId !== row.patientId ||
    payload.prescriberId !== row.prescriberId ||
    payload.issuedAt !== row.issuedAt ||
    payload.expiresAt !== row.expiresAt ||
    row.fillsRemaining > payload.refills + 1
  )
    return fail('payload_altered', read);

  const key = await deps.signerKeys.find(deps.db, payload.keyId);
  if (key === undefined || key.row.userId !== payload.prescriberId) return fail('unknown_signing_key', read);
  const keyed = { ...read, keyRevokedAt: key.row.revokedAt };
  if (
    key.parsed === undefined ||
    key.row.algorithm !== row.algorithm ||
    key.parsed.algorithm !== row.algorithm
  )
    return fail('algorithm_mismatch', keyed);
  if (key.row.revokedAt !== null && key.row.revokedAt <= Math.max(payload.issuedAt, row.createdAt))
    return fail('signing_key_revoked', keyed);
  const verdict = prescriptionSignatureVerdict(key.parsed.verify, canonical, row.signature);
  if (verdict === 'legacy') return fail('legacy_signature', keyed);
  if (verdict !== 'valid') return fail('invalid_signature', keyed);
  if (payload.expiresAt <= now) return fail('prescription_expired', keyed);
  return { ...base, ...keyed, valid: true, failure: null, message: 'The signature verifies.' };
}

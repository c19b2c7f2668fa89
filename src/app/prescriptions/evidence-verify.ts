import { Value } from '@sinclair/typebox/value';
import { keyIdOf, parsePublicKeyPem, verifySignature, KeyFormatError } from '../../crypto/signature.js';
import { EvidenceSchema, type Evidence } from './evidence-format.js';
import { parseCanonicalPayload, PayloadFormatError, type PrescriptionPayload } from './payload.js';

export type EvidenceResult =
  | { readonly valid: true; readonly evidence: Evidence; readonly payload: PrescriptionPayload }
  | { readonly valid: false; readonly reason: string };

/**
 * Checks evidence with nothing but the evidence itself: the public key must hash to the key id
 * (so the key id the doctor signed names exactly this key), the payload must be canonical and
 * name that key id and the signer, and the signature must verify over its UTF-8 bytes.
 *
 * What this proves: whoever holds the private key of `keyId` signed this exact payload. Whether
 * that key belongs to the named doctor is the hospital's statement (its key registry); compare
 * the key id with one obtained independently (e.g. the doctor's own copy) to not trust it.
 * Revocation is reported from the evidence but cannot be proven offline.
 */
export function verifyEvidence(input: unknown): EvidenceResult {
  if (!Value.Check(EvidenceSchema, input)) {
    const first = Value.Errors(EvidenceSchema, input).First();
    return {
      valid: false,
      reason: `not prescription evidence: ${first ? `${first.path} ${first.message}` : 'invalid'}`,
    };
  }
  const evidence = input;
  let key;
  try {
    key = parsePublicKeyPem(evidence.publicKeyPem);
  } catch (err) {
    if (err instanceof KeyFormatError) return { valid: false, reason: `public key: ${err.reason}` };
    throw err;
  }
  if (key.algorithm !== evidence.algorithm)
    return { valid: false, reason: `the public key is not a ${evidence.algorithm} key` };
  if (keyIdOf(key.spkiDer) !== evidence.keyId)
    return { valid: false, reason: 'the public key does not match the key id' };
  let payload: PrescriptionPayload;
  try {
    payload = parseCanonicalPayload(evidence.payload);
  } catch (err) {
    if (err instanceof PayloadFormatError) return { valid: false, reason: err.message };
    throw err;
  }
  if (payload.keyId !== evidence.keyId)
    return { valid: false, reason: 'the payload names a different key id' };
  if (payload.prescriberId !== evidence.signer.id)
    return { valid: false, reason: 'the payload names a different prescriber' };
  if (
    !verifySignature(
      evidence.algorithm,
      key.keyObject,
      Buffer.from(evidence.payload, 'utf8'),
      evidence.signature,
    )
  )
    return { valid: false, reason: 'the signature does not verify over the payload with this key' };
  return { valid: true, evidence, payload };
}

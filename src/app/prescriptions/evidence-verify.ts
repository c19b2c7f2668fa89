import { Value } from '@sinclair/typebox/value';
import { keyIdOf, parsePublicKeyPem, verifySignature, KeyFormatError } from '../../crypto/signature.js';
import { EvidenceSchema, type Evidence } from './evidence-format.js';
import { parseCanonicalPayload, PayloadFormatError, type PrescriptionPayload } from './payload.js';
import { prescriptionSignatureVerdict } from './signature-check.js';

export type EvidenceResult =
  | { readonly valid: true; readonly evidence: Evidence; readonly payload: PrescriptionPayload }
  /** `legacy`: the signature verifies only over the bare payload (before issue 15): not proof. */
  | { readonly valid: false; readonly reason: string; readonly legacy?: true };

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
  const verdict = prescriptionSignatureVerdict(
    (message, signature) => verifySignature(evidence.algorithm, key.keyObject, message, signature),
    evidence.payload,
    evidence.signature,
  );
  if (verdict === 'legacy')
    return {
      valid: false,
      legacy: true,
      reason:
        'legacy signature: it covers the bare payload, without the prescription signing context (the format before issue 15). A login signature collected by a compromised server looks exactly like this, so it does not prove the doctor prescribed it; ask for the prescription to be signed again',
    };
  if (verdict !== 'valid')
    return {
      valid: false,
      reason: 'the signature does not verify over the prescription message with this key',
    };
  return { valid: true, evidence, payload };
}

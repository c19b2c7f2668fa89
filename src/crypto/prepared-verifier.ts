/**
 * A signature verifier prepared once per registered key, for hot paths (dispensing re-verifies
 * every prescription). It accepts and refuses exactly what `verifySignature` (signature.ts) does
 * for an already-parsed key, but does the per-key work once — the algorithm, the expected
 * signature length — and keeps the per-call work to what OpenSSL must do anyway:
 *
 * - strict base64: decode, then re-encode and compare. Buffer's decoder skips characters outside
 *   the alphabet and accepts base64url and missing padding, so any such input re-encodes
 *   differently and is refused — the same set `verifySignature`'s regex plus round trip refuses;
 * - the length a signature of this key must have;
 * - one `crypto.verify` with the KeyObject itself (RSA keys default to PKCS#1 v1.5 padding;
 *   building an options object per call costs measurably at ~30k verifications/s).
 */
import { verify } from 'node:crypto';
import type { ParsedPublicKey } from './signature.js';

const ED25519_SIGNATURE_BYTES = 64;

export type PreparedVerifier = (message: Uint8Array, signatureB64: string) => boolean;

export function prepareVerifier(key: ParsedPublicKey): PreparedVerifier {
  const { keyObject, algorithm } = key;
  const length =
    algorithm === 'ed25519'
      ? ED25519_SIGNATURE_BYTES
      : Math.ceil((keyObject.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  const maxB64 = 4 * Math.ceil(length / 3);
  const digest = algorithm === 'ed25519' ? null : 'sha256';
  return (message, signatureB64) => {
    if (typeof signatureB64 !== 'string' || signatureB64.length !== maxB64) return false;
    const signature = Buffer.from(signatureB64, 'base64');
    if (signature.length !== length || signature.toString('base64') !== signatureB64) return false;
    try {
      return verify(digest, message, keyObject, signature);
    } catch {
      return false;
    }
  };
}

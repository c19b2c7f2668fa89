import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { prescriptionMessage } from '../../contract/signing/index.js';
import { keyIdOf, KeyFormatError, parsePublicKeyPem, signMessage } from '../../crypto/signature.js';
import { canonicalPayload, type PrescriptionPayload } from './payload.js';

/** The body of POST /api/v1/prescriptions. */
export interface SignedRequest {
  readonly payload: PrescriptionPayload;
  readonly signature: string;
  readonly keyId: string;
}

/** Default validity when a draft gives no expiry. */
export const DEFAULT_VALIDITY_MS = 30 * 24 * 3_600_000;

/**
 * Signs a prescription draft with a private key held by the caller — what `medvault rx sign`
 * does for scripts, and what the browser does with WebCrypto. Fills what the signer derives:
 * `v`, `keyId` (from the key itself), `nonce` (16 random bytes), `issuedAt` (now) and, when
 * absent, `expiresAt` (30 days). Everything else comes from the draft and is validated. The
 * signature covers the prescription message: `MedVault prescription v1\n` + canonical payload.
 * The private key is used in memory only.
 *
 * @throws KeyFormatError for an unreadable or unacceptable key; PayloadFormatError for a
 *   draft that does not make a valid payload.
 */
export function signPrescriptionDraft(
  privateKeyPem: string,
  draft: Record<string, unknown>,
  now = Date.now(),
): SignedRequest {
  let publicPem: string;
  try {
    publicPem = createPublicKey(createPrivateKey({ key: privateKeyPem, format: 'pem' }))
      .export({ type: 'spki', format: 'pem' })
      .toString();
  } catch {
    throw new KeyFormatError('not a readable, unencrypted PEM private key');
  }
  const key = parsePublicKeyPem(publicPem);
  const keyId = keyIdOf(key.spkiDer);
  const issuedAt = typeof draft.issuedAt === 'number' ? draft.issuedAt : now;
  const payload = {
    ...draft,
    v: 1,
    keyId,
    nonce: typeof draft.nonce === 'string' ? draft.nonce : randomBytes(16).toString('base64url'),
    issuedAt,
    expiresAt: typeof draft.expiresAt === 'number' ? draft.expiresAt : issuedAt + DEFAULT_VALIDITY_MS,
  };
  const canonical = canonicalPayload(payload);
  // The prescription message (context line + canonical payload), never the bare payload: a
  // signature over the bare bytes is what a login oracle could produce (issue 15, finding 1).
  const signature = signMessage(key.algorithm, privateKeyPem, prescriptionMessage(canonical));
  return { payload: payload as PrescriptionPayload, signature, keyId };
}

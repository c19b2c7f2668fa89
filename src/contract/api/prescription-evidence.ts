/**
 * The evidence of one prescription: everything needed to check its signature without the
 * server — the exact signed text, the signature, the signer's public key. Served by
 * GET /api/v1/prescriptions/:id/evidence and checked offline by `medvault rx verify`
 * (src/app/prescriptions/evidence-verify.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import { SIGNATURE_ALGORITHMS } from '../vocabulary/signing.js';

/**
 * Format 2 (issue 15, finding 1): the signature covers the prescription message,
 * `MedVault prescription v1\n` followed by the payload's UTF-8 bytes (src/contract/signing).
 * Format 1 files (the signature over the bare payload) are still read, so a verifier can say
 * that such a signature is legacy and proves nothing; the server writes format 2 only.
 */
export const EVIDENCE_FORMAT = 'medvault-prescription-evidence/2';
export const LEGACY_EVIDENCE_FORMAT = 'medvault-prescription-evidence/1';

export const EvidenceSchema = Type.Object(
  {
    format: Type.Union([Type.Literal(EVIDENCE_FORMAT), Type.Literal(LEGACY_EVIDENCE_FORMAT)]),
    prescriptionId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The RFC 8785 canonical JSON text; the signature covers the prescription message built from it. */
    payload: Type.String({ minLength: 2, maxLength: 12 * 1024 }),
    /** Standard base64. */
    signature: Type.String({ minLength: 1, maxLength: 1400 }),
    algorithm: Type.Union(SIGNATURE_ALGORITHMS.map((a) => Type.Literal(a))),
    keyId: Type.String({ minLength: 22, maxLength: 22 }),
    /** SPKI PEM of the signer's registered key. */
    publicKeyPem: Type.String({ minLength: 1, maxLength: 16 * 1024 }),
    signer: Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 64 }),
        displayName: Type.Union([Type.String(), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    /** When the server recorded the key as revoked (epoch ms), or null: informational. */
    keyRevokedAt: Type.Union([Type.Integer(), Type.Null()]),
    /** When the server received the prescription (epoch ms). */
    receivedAt: Type.Integer(),
  },
  { additionalProperties: false, title: 'PrescriptionEvidence' },
);
export type Evidence = Static<typeof EvidenceSchema>;

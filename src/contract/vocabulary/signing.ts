/**
 * Signature algorithms of staff keys (login challenges and prescriptions): RSASSA-PKCS1-v1_5
 * with SHA-256, and Ed25519 (src/crypto/signature.ts implements them).
 */
export const SIGNATURE_ALGORITHMS = ['rsa-pkcs1-sha256', 'ed25519'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/**
 * Why a ledger verification failed at an entry (docs/architecture.md, "Verification"): the
 * verifier names the first failing sequence number and one of these kinds.
 */
export const VERIFY_FAILURE_KINDS = [
  'content_changed',
  'deleted',
  'inserted',
  'reordered',
  'truncated',
  'checkpoint_mismatch',
  'node_mismatch',
] as const;
export type VerifyFailureKind = (typeof VERIFY_FAILURE_KINDS)[number];

/** The format tag of inclusion and consistency proof documents. */
export const PROOF_FORMAT = 'medvault-audit-proof/v1';

/** The audit context's public entry: its compose function and public types. */
export { composeAudit, type AuditContextDeps, type AuditServices } from './compose.js';
export type {
  AuditLedger,
  AppendResult,
  EntryPage,
  LedgerCheckpoint,
  LedgerEntryFilter,
  LedgerPublicKey,
  PageRequest,
} from './ledger.js';
export type { LedgerAccess, PublishedLedgerKeys } from './ledger-access.js';
export { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome } from './actions.js';
export { encodeEntry, type AuditEvent, type AuditDetails, type LedgerEntry } from './entry.js';
export {
  PROOF_FORMAT,
  checkConsistencyOffline,
  checkInclusionOffline,
  parseProofDocument,
  type ProofDocument,
  type InclusionProofDocument,
  type ConsistencyProofDocument,
} from './proof-format.js';
export {
  chainVerifier,
  offlineVerifier,
  type OfflineVerifier,
  type OfflineVerifierResult,
} from './offline-verifier.js';
export { formatHandoverFile, parseHandoverFile, type HandoverFile } from './handover-file.js';
export { witnessStep, type WitnessState, type WitnessVerdict } from './witness.js';
export type { VerifyResult, VerifyOptions, TrustedCheckpoint } from './verify.js';
export type { LedgerAppend, LedgeredServiceDeps } from './ledger-append.js';
export type { LedgerVerification, LedgerVerificationResult } from './ledger-verification.js';
export type { OutsideSource, Witnessed } from './outside-checkpoints.js';
export type { AutoCheckpoints, TickResult } from './auto-checkpoints.js';
export { CosigningWitness, type WitnessAnswer, type CosigningWitnessOptions } from './cosigning-witness.js';
export { MAX_REQUEST_BYTES as WITNESS_MAX_REQUEST_BYTES } from './witness-protocol.js';
export { readCheckpointNotes } from './checkpoint-file.js';
export { createWitnessKey, loadWitnessKey } from './witness-key.js';

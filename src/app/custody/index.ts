/**
 * Key custody: how the master key is held when no single file or person holds it — split
 * between officers (Shamir, with commitments so a bad share is named), and the sealed state a
 * process is in until enough shares arrive. docs/keys.md tells the whole story.
 */
export {
  loadCustody,
  makeSplit,
  splitMasterKey,
  type SplitCustody,
  type SplitResult,
} from './custody-record.js';
export { SealedVault, type SealStatus, type UnsealAttempt } from './sealed-vault.js';
export { parseShare, formatShare, type KeyShare } from './share-text.js';

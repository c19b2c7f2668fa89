import type { Checkpoint } from '../../crypto/checkpoint.js';

/**
 * Checks a signed checkpoint of this ledger: by its first key or one handed over to, within that
 * key's span (crypto/key-handover.ts's CheckpointKeyChain).
 */
export interface CheckpointVerifier {
  /** @throws IntegrityError when the note is not a valid checkpoint of this log. */
  verify(note: string): Checkpoint;
}

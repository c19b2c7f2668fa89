/**
 * What every verifier outside the server does with a log's key handovers (witnesses, `audit
 * verify-proof`, `audit watch`): follow them from the first key it trusts, and hold checkpoints to
 * the resulting chain. Failures are reasons (strings), because for these verifiers a broken chain
 * or a checkpoint out of its key's span is a finding to report, not a crash.
 */
import { CheckpointFormatError, type Checkpoint } from '../../crypto/checkpoint.js';
import { IntegrityError, UnsupportedFormatError } from '../../crypto/errors.js';
import { CheckpointKeyChain, parseHandover, type Handover } from '../../crypto/key-handover.js';

/** The reason a crypto-layer check failed, or undefined for an error that is a bug. */
function reasonOf(err: unknown): string | undefined {
  if (err instanceof IntegrityError || err instanceof CheckpointFormatError) return err.reason;
  if (err instanceof UnsupportedFormatError) return err.reason;
  return undefined;
}

/**
 * Follows `statements` from `firstKey`.
 * @returns the chain, or why the statements do not continue it (a statement not signed by the
 *   previous key or by the key it names, another log, a skipped generation, a size going back,
 *   a malformed key).
 */
export function followHandovers(
  firstKey: string,
  statements: readonly string[],
): CheckpointKeyChain | string {
  try {
    return CheckpointKeyChain.follow(firstKey, statements);
  } catch (err) {
    const reason = reasonOf(err);
    if (reason === undefined) throw err;
    return reason;
  }
}

/**
 * Verifies a checkpoint by the chain: signed by one of its keys, within that key's span.
 * @returns the checkpoint, or why not.
 */
export function verifyByChain(chain: CheckpointKeyChain, note: string): Checkpoint | string {
  try {
    return chain.verify(note);
  } catch (err) {
    const reason = reasonOf(err);
    if (reason === undefined) throw err;
    return reason === 'signed note has no signature by the expected key' && chain.keys.length > 1
      ? `it is signed by no key of the log's chain (first key and ${handoverCount(chain)})`
      : reason;
  }
}

/** The statement's fields, or why it cannot be read. */
export function readHandover(statement: string): Handover | string {
  try {
    return parseHandover(statement);
  } catch (err) {
    const reason = reasonOf(err);
    if (reason === undefined) throw err;
    return reason;
  }
}

/** "no handover", "1 handover", "3 handovers". */
export function handoverCount(chain: CheckpointKeyChain): string {
  const n = chain.keys.length - 1;
  return n === 0 ? 'no handover' : n === 1 ? '1 handover' : `${n} handovers`;
}

/**
 * Naming what is wrong with the first entry that does not verify. Runs once, on the failure
 * path, so it may afford a second hash or an extra query.
 *
 * What each piece of evidence proves:
 * - the MAC (HMAC under the keyring secret "ledger-mac") over the stored leaf hash verifies only
 *   for leaf hashes the ledger itself computed. Someone holding only the database can recompute a
 *   plain hash chain after forging an entry, but not the MAC; so a bad MAC is an entry the ledger
 *   never wrote, and a good MAC on a hash the columns no longer produce is a genuine entry that
 *   was edited or moved;
 * - `prev_hash` ties an entry to its predecessor, and the leaf hash (over bytes that include
 *   `seq`) to its position: a genuine entry whose predecessor is not the entry before it was moved.
 */
import type { HashMac } from '../../crypto/hash-mac.js';
import { isHashHex, leafHashHexOfText } from '../../crypto/merkle-hex.js';
import type { DbOrTx } from '../../store/database.js';
import { findEntryChainedTo, type LedgerEntryRow } from '../../store/ledger-repository.js';
import { encodeEntry } from './entry.js';

/**
 * - content_changed: a genuine entry whose columns (or stored hashes) were edited in place;
 * - deleted: the entry at this seq is gone (a gap, or later entries renumbered into it);
 * - inserted: the MAC does not verify — the ledger never wrote this entry (forged, inserted with a
 *   recomputed hash chain, or rewritten with a recomputed hash);
 * - reordered: a genuine entry out of place (seq values swapped or moved);
 * - truncated: the log ends before a signed checkpoint (or its own head) says it does;
 * - checkpoint_mismatch: a signed checkpoint does not match the log, or a stored one is not
 *   validly signed; `seq` is the first entry no longer vouched for;
 * - node_mismatch: the entries verify but a stored tree node or the head row disagrees with them
 *   (proofs or the next append would be wrong).
 */
export type VerifyFailureKind =
  | 'content_changed'
  | 'deleted'
  | 'inserted'
  | 'reordered'
  | 'truncated'
  | 'checkpoint_mismatch'
  | 'node_mismatch';

export interface VerifyFailure {
  readonly ok: false;
  readonly kind: VerifyFailureKind;
  /** The first sequence number that does not verify. */
  readonly seq: number;
  /** A sentence for people: what is wrong at `seq`. */
  readonly message: string;
  /** Entries verified before it (0..verified−1). */
  readonly verified: number;
}

/**
 * Why the entry at position `seq`, which failed the fast checks, does not verify. `prev` is the
 * leaf hash of entry seq − 1 (verified), or zeros for seq 0.
 */
export async function classifyBadEntry(
  db: DbOrTx,
  mac: HashMac,
  row: LedgerEntryRow,
  seq: number,
  prev: string,
): Promise<VerifyFailure> {
  const fail = (kind: VerifyFailureKind, message: string): VerifyFailure => ({
    ok: false,
    kind,
    seq,
    verified: seq,
    message,
  });
  const recomputed = leafHashHexOfText(encodeEntry(row, row.prev_hash));
  const chained = row.prev_hash === prev;

  if (!mac.verifyHex(row.leaf_hash, row.mac)) {
    // The columns still produce the hash the MAC was made for: only the stored hash was edited.
    if (chained && isHashHex(recomputed) && mac.verifyHex(recomputed, row.mac)) {
      return fail('content_changed', `entry ${seq}'s stored hash was altered (its columns are intact).`);
    }
    return fail(
      'inserted',
      `entry ${seq} was not written by the ledger: its MAC does not verify ` +
        '(a forged or inserted entry, or one rewritten with a recomputed hash).',
    );
  }
  if (chained) {
    return fail(
      'content_changed',
      `entry ${seq} was altered: its columns no longer hash to its recorded hash.`,
    );
  }
  if (leafHashHexOfText(encodeEntry(row, prev)) === row.leaf_hash) {
    return fail('content_changed', `entry ${seq}'s prev_hash column was altered (its content is intact).`);
  }
  // A genuine entry that does not follow entry seq − 1. Where is the entry that does?
  const successor = await findEntryChainedTo(db, prev, seq);
  if (successor !== undefined) {
    return fail(
      'reordered',
      `entry ${seq} is a genuine entry out of place: the entry that belongs at seq ${seq} is stored at seq ${successor}.`,
    );
  }
  return fail(
    'deleted',
    `the entry at seq ${seq} was deleted: seq ${seq} now holds a genuine entry from later in the log (the rest were renumbered).`,
  );
}

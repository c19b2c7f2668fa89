import type { Checkpoint } from '../../crypto/checkpoint.js';
import { verifyConsistency } from '../../crypto/merkle.js';
import { followHandovers, readHandover, verifyByChain } from './handover-chain.js';

/**
 * What a witness keeps between runs: the log's first key it trusts, the key handovers it has
 * followed since, and the last checkpoint it accepted.
 */
export interface WitnessState {
  readonly origin: string;
  /**
   * The log's first checkpoint key, trusted on first use. Absent in states written before key
   * handovers: then `verifierKey` is the key trusted.
   */
  readonly firstKey?: string;
  /** The handover statements followed from `firstKey`, oldest first (absent: none). */
  readonly handovers?: readonly string[];
  /** The key that signs now, as far as this witness knows (the chain's newest). */
  readonly verifierKey: string;
  readonly note: string;
  readonly treeSize: number;
  readonly root: string;
}

/** What the log presents: its newest checkpoint and its keys (firstKey/handovers: newer servers). */
export interface FetchedLog {
  readonly note: string;
  /** The key that signs now. */
  readonly verifierKey: string;
  readonly firstKey?: string;
  readonly handovers?: readonly string[];
}

export type WitnessVerdict =
  | { readonly ok: true; readonly state: WitnessState; readonly message: string }
  | { readonly ok: false; readonly message: string };

const fail = (message: string): WitnessVerdict => ({ ok: false, message });

/**
 * One step of a witness (after C2SP tlog-witness): accept the log's newest checkpoint only if
 * it is signed by a key of the chain that starts at the first key seen before (each key within
 * its span of tree sizes) and the log only grew since the last accepted checkpoint, as a
 * consistency proof shows. A smaller tree is a rollback; the same size with another root, or a
 * proof that does not verify, is a fork — either way the operator is caught. The key handovers
 * the log presents must extend those accepted before, unchanged, and continue the chain; a new
 * handover below the size already accepted means the old key signed beyond its span.
 *
 * @param previous the last accepted state, or undefined on first use (trust on first use of the
 *   presented first key, which the operator should compare with the published key once).
 * @param consistencyProof base64 hashes proving previous.treeSize → new size (when it grew).
 */
export function witnessStep(
  previous: WitnessState | undefined,
  fetched: FetchedLog,
  consistencyProof: readonly string[] | undefined,
): WitnessVerdict {
  const presentedFirst = fetched.firstKey ?? fetched.verifierKey;
  const presented = fetched.handovers ?? [];
  const firstKey = previous === undefined ? presentedFirst : (previous.firstKey ?? previous.verifierKey);
  const accepted = previous?.handovers ?? [];
  if (presentedFirst !== firstKey)
    return fail('the log now presents a different public key than the first key this witness trusts');
  for (const [i, statement] of accepted.entries()) {
    if (presented[i] === undefined)
      return fail(
        `the log presents ${presented.length} key handover(s) but this witness followed ${accepted.length}: a handover was removed`,
      );
    if (presented[i] !== statement)
      return fail(`the log's key handover ${i + 1} is not the one this witness followed: it was rewritten`);
  }
  const chain = followHandovers(firstKey, presented);
  if (typeof chain === 'string')
    return fail(`the log's key handovers do not form a chain from its first key: ${chain}`);
  for (const statement of presented.slice(accepted.length)) {
    const handover = readHandover(statement);
    if (typeof handover !== 'string' && previous !== undefined && handover.treeSize < previous.treeSize)
      return fail(
        `a new key handover at size ${handover.treeSize} is below the ${previous.treeSize} entries this witness accepted ` +
          'signed by the old key: the old key signed beyond its span',
      );
  }
  if (fetched.verifierKey !== chain.current.verifierKey)
    return fail('the log presents a public key that is not the one its key handovers lead to');
  const checked = verifyByChain(chain, fetched.note);
  if (typeof checked === 'string') return fail(`the checkpoint does not verify: ${checked}`);
  const checkpoint: Checkpoint = checked;
  const root = checkpoint.rootHash.toString('base64');
  const state: WitnessState = {
    origin: checkpoint.origin,
    firstKey,
    handovers: presented,
    verifierKey: chain.current.verifierKey,
    note: fetched.note,
    treeSize: checkpoint.treeSize,
    root,
  };
  const followed = presented.length - accepted.length;
  const keys =
    followed === 0
      ? ''
      : `; followed ${followed} key handover(s), now key generation ${chain.current.generation}`;
  if (previous === undefined) {
    return {
      ok: true,
      state,
      message: `first checkpoint accepted: ${checkpoint.treeSize} entries (key trusted on first use)${keys}`,
    };
  }
  if (checkpoint.origin !== previous.origin) return fail('the checkpoint is for another log');
  if (checkpoint.treeSize < previous.treeSize) {
    return fail(
      `rollback: the log shows ${checkpoint.treeSize} entries but this witness saw ${previous.treeSize}`,
    );
  }
  if (checkpoint.treeSize === previous.treeSize) {
    return root === previous.root
      ? { ok: true, state, message: `unchanged at ${checkpoint.treeSize} entries${keys}` }
      : fail(`fork: the same size ${checkpoint.treeSize} with a different root`);
  }
  const proof = (consistencyProof ?? []).map((h) => Buffer.from(h, 'base64'));
  const consistent = verifyConsistency(
    previous.treeSize,
    checkpoint.treeSize,
    Buffer.from(previous.root, 'base64'),
    checkpoint.rootHash,
    proof,
  );
  return consistent
    ? {
        ok: true,
        state,
        message: `consistent: ${previous.treeSize} → ${checkpoint.treeSize} entries${keys}`,
      }
    : fail(
        `fork: the log of ${checkpoint.treeSize} entries does not extend the one of ${previous.treeSize} this witness saw`,
      );
}

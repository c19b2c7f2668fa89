import { verifySignedCheckpoint, type Checkpoint } from '../../crypto/checkpoint.js';
import { verifyConsistency } from '../../crypto/merkle.js';

/** What a witness keeps between runs: the key it trusts and the last checkpoint it accepted. */
export interface WitnessState {
  readonly origin: string;
  readonly verifierKey: string;
  readonly note: string;
  readonly treeSize: number;
  readonly root: string;
}

export type WitnessVerdict =
  | { readonly ok: true; readonly state: WitnessState; readonly message: string }
  | { readonly ok: false; readonly message: string };

/**
 * One step of a witness (after C2SP tlog-witness): accept the log's newest checkpoint only if
 * it is signed by the key seen before and the log only grew since the last accepted checkpoint,
 * as a consistency proof shows. A smaller tree is a rollback; the same size with another root,
 * or a proof that does not verify, is a fork — either way the operator is caught.
 *
 * @param previous the last accepted state, or undefined on first use (trust on first use of
 *   `verifierKey`, which the operator should compare with the published key once).
 * @param consistencyProof base64 hashes proving previous.treeSize → new size (when it grew).
 */
export function witnessStep(
  previous: WitnessState | undefined,
  fetched: { readonly note: string; readonly verifierKey: string },
  consistencyProof: readonly string[] | undefined,
): WitnessVerdict {
  const key = previous?.verifierKey ?? fetched.verifierKey;
  if (previous !== undefined && fetched.verifierKey !== previous.verifierKey) {
    return {
      ok: false,
      message: 'the log now presents a different public key than the one this witness trusts',
    };
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = verifySignedCheckpoint(
      fetched.note,
      key,
      previous === undefined ? {} : { origin: previous.origin },
    );
  } catch (err) {
    return { ok: false, message: `the checkpoint does not verify: ${(err as Error).message}` };
  }
  const root = checkpoint.rootHash.toString('base64');
  const state: WitnessState = {
    origin: checkpoint.origin,
    verifierKey: key,
    note: fetched.note,
    treeSize: checkpoint.treeSize,
    root,
  };
  if (previous === undefined) {
    return {
      ok: true,
      state,
      message: `first checkpoint accepted: ${checkpoint.treeSize} entries (key trusted on first use)`,
    };
  }
  if (checkpoint.treeSize < previous.treeSize) {
    return {
      ok: false,
      message: `rollback: the log shows ${checkpoint.treeSize} entries but this witness saw ${previous.treeSize}`,
    };
  }
  if (checkpoint.treeSize === previous.treeSize) {
    return root === previous.root
      ? { ok: true, state, message: `unchanged at ${checkpoint.treeSize} entries` }
      : { ok: false, message: `fork: the same size ${checkpoint.treeSize} with a different root` };
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
    ? { ok: true, state, message: `consistent: ${previous.treeSize} → ${checkpoint.treeSize} entries` }
    : {
        ok: false,
        message: `fork: the log of ${checkpoint.treeSize} entries does not extend the one of ${previous.treeSize} this witness saw`,
      };
}

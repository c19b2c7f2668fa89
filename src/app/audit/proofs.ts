/**
 * RFC 9162 proofs answered from stored subtree hashes: each reads the head and every node it
 * needs (O(log n) of them) in ONE query, whatever the size of the log.
 */
import {
  assembleFromPlan,
  consistencyProofPlan,
  hashRange,
  inclusionProofPlan,
  planRefs,
  rootPlan,
  type NodeRef,
} from '../../crypto/merkle-plan.js';
import type { DbOrTx } from '../../store/database.js';
import { readLedgerHeadAndNodes } from '../../store/ledger-repository.js';
import { integrityFailure, invalidInput, notFound } from '../errors.js';

/** PATH(index, D[treeSize]) and what it proves. Hashes are standard base64. */
export interface InclusionProof {
  readonly index: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly proof: string[];
  /** MTH of the first treeSize entries: what a checkpoint of that size must state. */
  readonly root: string;
}

/** PROOF(from, D[to]) and the two roots it links. Hashes are standard base64. */
export interface ConsistencyProof {
  readonly from: number;
  readonly to: number;
  readonly proof: string[];
  readonly fromRoot: string;
  readonly toRoot: string;
}

/**
 * @throws AppError invalid_input for a non-integer or negative argument or index ≥ treeSize;
 *   not_found for a tree larger than the log.
 */
export async function inclusionProof(db: DbOrTx, index: number, treeSize: number): Promise<InclusionProof> {
  checkSize(index, 'index');
  checkSize(treeSize, 'treeSize');
  if (index >= treeSize) throw invalidInput('index must be below treeSize', 'invalid_proof_request');
  const plan = inclusionProofPlan(index, treeSize);
  const leafRef: NodeRef = { level: 0, index };
  const rootRefs = rootPlan(treeSize);
  const lookup = await fetchNodes(db, treeSize, [leafRef, ...planRefs(plan), ...rootRefs]);
  return {
    index,
    treeSize,
    leafHash: b64(lookup(leafRef)),
    proof: assembleFromPlan(plan, lookup).map(b64),
    root: b64(hashRange(rootRefs, lookup)),
  };
}

/**
 * @throws AppError invalid_input for a non-integer or negative size or from > to; not_found for
 *   a tree larger than the log.
 */
export async function consistencyProof(db: DbOrTx, from: number, to: number): Promise<ConsistencyProof> {
  checkSize(from, 'from');
  checkSize(to, 'to');
  if (from > to) throw invalidInput('from must not exceed to', 'invalid_proof_request');
  const plan = consistencyProofPlan(from, to);
  const fromRefs = rootPlan(from);
  const toRefs = rootPlan(to);
  const lookup = await fetchNodes(db, to, [...planRefs(plan), ...fromRefs, ...toRefs]);
  return {
    from,
    to,
    proof: assembleFromPlan(plan, lookup).map(b64),
    fromRoot: b64(hashRange(fromRefs, lookup)),
    toRoot: b64(hashRange(toRefs, lookup)),
  };
}

/**
 * MTH of the first `treeSize` entries, as a Buffer.
 * @throws AppError not_found when the log is smaller.
 */
export async function rootAt(db: DbOrTx, treeSize: number): Promise<Buffer> {
  const refs = rootPlan(treeSize);
  return hashRange(refs, await fetchNodes(db, treeSize, refs));
}

/**
 * Reads the head and the distinct nodes in one query, checks that the log holds `treeSize`
 * entries, and returns a lookup that insists each node exists.
 */
async function fetchNodes(
  db: DbOrTx,
  treeSize: number,
  refs: readonly NodeRef[],
): Promise<(ref: NodeRef) => Buffer> {
  const { head, nodes } = await readLedgerHeadAndNodes(db, planRefs([refs]));
  if (treeSize > head.size) {
    throw notFound(`ledger tree of size ${treeSize} (the log holds ${head.size} entries)`);
  }
  const byRef = new Map(nodes.map((r) => [`${r.level}:${r.idx}`, Buffer.from(r.hash, 'hex')]));
  return (ref) => {
    const hash = byRef.get(`${ref.level}:${ref.index}`);
    // A node the head says must exist is missing: the store was damaged, not the request.
    if (hash === undefined || hash.length !== 32) {
      throw integrityFailure('The audit ledger is missing a tree node: run `medvault audit verify`.');
    }
    return hash;
  };
}

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw invalidInput(`${what} must be a non-negative integer`, 'invalid_proof_request');
  }
}

const b64 = (b: Buffer): string => b.toString('base64');

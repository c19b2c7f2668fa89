import { completedNodes } from '../../crypto/merkle-plan.js';
import { nodeHashHex } from '../../crypto/merkle-hex.js';
import type { DbOrTx } from '../../store/database.js';
import { readLedgerNodes, type LedgerNodeRow } from '../../store/ledger-repository.js';
import { integrityFailure } from '../errors.js';

const key = (level: number, index: number): string => `${level}:${index}`;

/**
 * The Merkle nodes (level ≥ 1) that the leaves `leaves` — entries start, start+1, … — complete,
 * in the order they complete. Each node's right child is the node just computed; its left child
 * is either made by this batch (kept in memory) or older than the batch, and the older ones (at
 * most one per level: the log's right frontier) are read in ONE query. So a batch of n entries
 * costs one read and no per-entry round trip, where appending them one by one costs up to one
 * read per entry: what keeps a page of 100 `patient.listed` entries cheap while the head lock is
 * held.
 */
export async function batchNodeHashes(
  tx: DbOrTx,
  start: number,
  previousLeaf: string,
  leaves: readonly string[],
): Promise<LedgerNodeRow[]> {
  const plans = leaves.map((_, k) => completedNodes(start + k).slice(1));
  const older = new Map<string, { level: number; index: number }>();
  for (const plan of plans)
    for (const node of plan) {
      const left = node.children![0];
      // A subtree whose last leaf precedes the batch is stored; level 0 is the previous leaf.
      if (left.level >= 1 && (left.index + 1) * 2 ** left.level <= start)
        older.set(key(left.level, left.index), left);
    }
  const known = new Map<string, string>();
  if (older.size > 0)
    for (const row of await readLedgerNodes(tx, [...older.values()]))
      known.set(key(row.level, row.idx), row.hash);
  if (start > 0) known.set(key(0, start - 1), previousLeaf);
  const out: LedgerNodeRow[] = [];
  leaves.forEach((leaf, k) => {
    known.set(key(0, start + k), leaf);
    let h = leaf;
    for (const node of plans[k]!) {
      const left = node.children![0];
      const sibling = known.get(key(left.level, left.index));
      if (sibling === undefined)
        throw integrityFailure('The audit ledger is missing a tree node: run `medvault audit verify`.');
      h = nodeHashHex(sibling, h);
      known.set(key(node.level, node.index), h);
      out.push({ level: node.level, idx: node.index, hash: h });
    }
  });
  return out;
}

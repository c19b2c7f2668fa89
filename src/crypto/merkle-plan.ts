/**
 * The storage model of the audit log's Merkle tree (RFC 9162 §2.1): which stored subtrees an
 * append completes, and which stored subtrees a root or proof folds, so a store answers any proof
 * with one batched read of O(log n) nodes.
 */
import { assertHash, assertSize, emptyRoot, foldRight, largestPowerOfTwoBelow, nodeHash } from './merkle.js';

// ---------------------------------------------------------------------------------------------
// Storage model. Node (level L, index i) is MTH of leaves [i·2^L, (i+1)·2^L), stored once all
// those leaves exist. Every subtree RFC 9162 names in a root or proof is a range [s, e) whose
// start s is a multiple of the smallest power of two ≥ e − s, so it splits into the aligned
// complete nodes given by the set bits of e − s, largest first, and MTH of the range is their
// right-to-left fold with nodeHash.
// ---------------------------------------------------------------------------------------------

/** A stored complete subtree: level 0 holds leaf hashes, level L covers 2^L leaves. */
export interface NodeRef {
  level: number;
  index: number;
}

/** A node that becomes complete on an append, and the two stored children it is hashed from. */
export interface CompletedNode extends NodeRef {
  /** `[left, right]` for level ≥ 1, null for the leaf itself (level 0). */
  children: readonly [NodeRef, NodeRef] | null;
}

/** A computed node hash, ready to be stored. */
export interface StoredNode extends NodeRef {
  hash: Buffer;
}

/**
 * The nodes that become complete when leaf `leafIndex` is appended, bottom-up: the leaf (0, n),
 * then (L, n / 2^L) for each trailing one bit of n. Node (L, i) = nodeHash((L−1, 2i), (L−1, 2i+1)).
 */
export function completedNodes(leafIndex: number): CompletedNode[] {
  assertSize(leafIndex, 'leaf index');
  const nodes: CompletedNode[] = [{ level: 0, index: leafIndex, children: null }];
  let index = leafIndex;
  for (let level = 1; index % 2 === 1; level++) {
    const parent = (index - 1) / 2;
    nodes.push({
      level,
      index: parent,
      children: [
        { level: level - 1, index: index - 1 },
        { level: level - 1, index },
      ],
    });
    index = parent;
  }
  return nodes;
}

/**
 * Hashes for {@link completedNodes}(leafIndex). `lookup` is asked only for left children, which
 * are already stored; each right child is the node computed just before it.
 */
export function hashCompletedNodes(
  leafIndex: number,
  leaf: Uint8Array,
  lookup: (ref: NodeRef) => Uint8Array,
): StoredNode[] {
  let h: Buffer = Buffer.from(assertHash(leaf, 'leaf hash'));
  return completedNodes(leafIndex).map((node) => {
    if (node.children !== null) h = nodeHash(lookup(node.children[0]), h);
    return { level: node.level, index: node.index, hash: h };
  });
}

/** Whether node `ref` is complete, hence stored, in a tree of `treeSize` leaves. */
export function isStoredAt(ref: NodeRef, treeSize: number): boolean {
  return (ref.index + 1) * 2 ** ref.level <= treeSize;
}

/** Stored nodes whose fold is MTH(D[treeSize]) (RFC 9162 §2.1.1); empty for the empty tree. */
export function rootPlan(treeSize: number): NodeRef[] {
  assertSize(treeSize, 'tree size');
  return rangeRefs(0, treeSize);
}

/**
 * Plan of PATH(index, D[treeSize]) (RFC 9162 §2.1.3.1): one entry per proof element, leaf end
 * first, each the stored nodes to fold with {@link hashRange}.
 * @throws RangeError unless 0 ≤ index < treeSize.
 */
export function inclusionProofPlan(index: number, treeSize: number): NodeRef[][] {
  assertSize(treeSize, 'tree size');
  assertSize(index, 'index');
  if (index >= treeSize) throw new RangeError('merkle: index must be below the tree size');
  const siblings: NodeRef[][] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k) {
      siblings.push(rangeRefs(start + k, end));
      end = start + k;
    } else {
      siblings.push(rangeRefs(start, start + k));
      start += k;
    }
  }
  return siblings.reverse();
}

/**
 * Plan of PROOF(first, D[second]) (RFC 9162 §2.1.4.1), in proof order. Empty when
 * `first` is 0 or equals `second`: there is nothing to prove.
 * @throws RangeError unless 0 ≤ first ≤ second.
 */
export function consistencyProofPlan(first: number, second: number): NodeRef[][] {
  assertSize(first, 'first size');
  assertSize(second, 'second size');
  if (first > second) throw new RangeError('merkle: first size must not exceed the second');
  if (first === 0 || first === second) return [];
  const siblings: NodeRef[][] = [];
  let start = 0;
  let end = second;
  let firstIsWholeSubtree = true; // SUBPROOF's flag b
  while (first !== end) {
    const k = largestPowerOfTwoBelow(end - start);
    if (first <= start + k) {
      siblings.push(rangeRefs(start + k, end));
      end = start + k;
    } else {
      siblings.push(rangeRefs(start, start + k));
      start += k;
      firstIsWholeSubtree = false;
    }
  }
  const head = firstIsWholeSubtree ? [] : [rangeRefs(start, end)];
  return head.concat(siblings.reverse());
}

/** Every distinct node a plan reads, for one batched fetch. */
export function planRefs(plan: readonly (readonly NodeRef[])[]): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  for (const refs of plan) for (const ref of refs) seen.set(`${ref.level}:${ref.index}`, ref);
  return [...seen.values()];
}

/** MTH of a range from its aligned nodes: right-to-left fold with nodeHash; MTH({}) if empty. */
export function hashRange(refs: readonly NodeRef[], lookup: (ref: NodeRef) => Uint8Array): Buffer {
  if (refs.length === 0) return emptyRoot();
  return Buffer.from(foldRight(refs.map((ref) => assertHash(lookup(ref), 'stored node'))));
}

/** Turns a proof plan into the proof, reading stored nodes through `lookup`. */
export function assembleFromPlan(
  plan: readonly (readonly NodeRef[])[],
  lookup: (ref: NodeRef) => Uint8Array,
): Buffer[] {
  return plan.map((refs) => hashRange(refs, lookup));
}

/** Aligned complete nodes covering [start, end), largest first. */
function rangeRefs(start: number, end: number): NodeRef[] {
  const refs: NodeRef[] = [];
  let remaining = end - start;
  let offset = start;
  let level = 0;
  while (2 ** (level + 1) <= remaining) level++;
  for (; remaining > 0; level--) {
    const width = 2 ** level;
    if (width > remaining) continue;
    if (offset % width !== 0) throw new Error('merkle: range is not aligned (internal error)');
    refs.push({ level, index: offset / width });
    offset += width;
    remaining -= width;
  }
  return refs;
}

/**
 * RFC 9162 §2.1 Merkle tree hashing, proofs and their verification, plus the plans a store
 * follows to answer proofs from stored subtree hashes instead of rehashing the log.
 *
 * Sizes and indices are JavaScript numbers, exact up to 2^53 − 1. The arithmetic below uses
 * division and remainder, never the 32-bit bitwise operators, so a log past 2^31 entries stays
 * correct.
 */
import { createHash, hash } from 'node:crypto';

const HASH_SIZE = 32;

// Reused scratch buffers let each hash be one `crypto.hash` call with no per-call allocation
// beyond the digest; this is what keeps a full 1,000,000-entry verification close to raw
// SHA-256 speed. Safe because hashing is synchronous and JavaScript is single-threaded.
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;
let leafScratch = Buffer.alloc(1024);
// Larger entries are hashed by streaming, so the scratch does not grow without bound.
const LEAF_SCRATCH_LIMIT = 64 * 1024;
const LEAF_PREFIX = Buffer.from([0x00]);

/** MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1). */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** Leaf hash, SHA-256(0x00 || entry) (RFC 9162 §2.1.1): the prefix keeps a leaf from posing as a node. */
export function leafHash(entry: Uint8Array): Buffer {
  const needed = entry.length + 1;
  if (needed > LEAF_SCRATCH_LIMIT) return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
  if (leafScratch.length < needed) leafScratch = Buffer.alloc(Math.min(LEAF_SCRATCH_LIMIT, needed * 2));
  leafScratch[0] = 0x00;
  leafScratch.set(entry, 1);
  return hash('sha256', leafScratch.subarray(0, needed), 'buffer');
}

/**
 * Interior node hash, SHA-256(0x01 || left || right) (RFC 9162 §2.1.1).
 * @throws TypeError unless both children are 32-byte hashes.
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new TypeError('merkle: node children must be 32-byte hashes');
  }
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeScratch, 'buffer');
}

/**
 * MTH(D[n]) of a whole log from its leaf hashes (RFC 9162 §2.1.1), in one pass with a stack of
 * at most 53 pending subtree roots: no recursion, no copies of the input.
 */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Buffer {
  const n = hashes.length;
  if (n === 0) return emptyRoot();
  if (n === 1) return Buffer.from(assertHash(hashes[0] as Uint8Array, 'leaf hash'));
  const stack: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    let h = hashes[i] as Uint8Array;
    // After leaf i the stack holds one root per set bit of i + 1: merge while the count is even.
    for (let count = i + 1; count % 2 === 0; count /= 2) h = nodeHash(stack.pop() as Uint8Array, h);
    stack.push(h);
  }
  return Buffer.from(foldRight(stack));
}

/**
 * Incremental form of {@link rootFromLeafHashes} for a log read as a stream (O(log n) memory).
 * `push` returns the hashes of the subtrees the new leaf completes, in the order of
 * {@link completedNodes}, so a verifier can compare each with the stored node.
 */
export class MerkleAccumulator {
  readonly #stack: Buffer[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(leaf: Uint8Array): Buffer[] {
    let h: Buffer = Buffer.from(assertHash(leaf, 'leaf hash'));
    const completed = [h];
    for (let count = this.#size + 1; count % 2 === 0; count /= 2) {
      h = nodeHash(this.#stack.pop() as Buffer, h);
      completed.push(h);
    }
    this.#stack.push(h);
    this.#size++;
    return completed;
  }

  root(): Buffer {
    return this.#size === 0 ? emptyRoot() : Buffer.from(foldRight(this.#stack));
  }
}

// ---------------------------------------------------------------------------------------------
// Verification (RFC 9162 §2.1.3.2 and §2.1.4.2). Inputs are untrusted: any malformed input is
// a failed verification (false / null), never an exception.
// ---------------------------------------------------------------------------------------------

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2, steps 1–5 without the final compare),
 * or null when the proof cannot be valid for this index and size (index ≥ size, wrong length,
 * malformed hash).
 */
export function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Buffer | null {
  if (!isSize(treeSize) || !isSize(index) || index >= treeSize) return null;
  if (leaf.length !== HASH_SIZE || !proof.every((p) => p.length === HASH_SIZE)) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return null; // proof longer than the path
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // Skip the levels where this node is the last, childless one on the right edge.
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? Buffer.from(r) : null; // sn ≠ 0: proof shorter than the path
}

/** Verifies an inclusion proof (RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(leaf, index, treeSize, proof);
  return computed !== null && root.length === HASH_SIZE && computed.equals(root);
}

/**
 * Verifies a consistency proof between tree heads of sizes `first` ≤ `second` (RFC 9162
 * §2.1.4.2). The cases the RFC algorithm leaves out are decided fail-closed: `first == second`
 * needs an empty proof and equal roots; `first == 0` needs an empty proof and `firstRoot` equal
 * to MTH({}); otherwise an empty proof fails (step 1).
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(first) || !isSize(second) || first > second) return false;
  if (firstRoot.length !== HASH_SIZE || secondRoot.length !== HASH_SIZE) return false;
  if (!proof.every((p) => p.length === HASH_SIZE)) return false;
  if (first === 0) {
    return (
      proof.length === 0 &&
      bytesEqual(firstRoot, emptyRoot()) &&
      (second > 0 || bytesEqual(secondRoot, firstRoot))
    );
  }
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  if (proof.length === 0) return false;

  // Step 2: a power-of-two first tree is a complete subtree, so the proof omits its root.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}

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

// ---------------------------------------------------------------------------------------------
// Reference computations, literally the recursive definitions of RFC 9162 §2.1.1, §2.1.3.1 and
// §2.1.4.1 over in-memory leaf hashes. O(n) per call: for tests, as the independent second
// computation, and for tiny logs.
// ---------------------------------------------------------------------------------------------

/** PATH(index, D[size]) of RFC 9162 §2.1.3.1 over the first `size` leaf hashes. */
export function inclusionProofFromLeaves(
  leafHashes: readonly Uint8Array[],
  index: number,
  size: number,
): Buffer[] {
  assertPrefix(leafHashes, size);
  assertSize(index, 'index');
  if (index >= size) throw new RangeError('merkle: index must be below the tree size');
  return path(leafHashes, index, 0, size);
}

/** PROOF(first, D[second]) of RFC 9162 §2.1.4.1; empty when first is 0 or equals second. */
export function consistencyProofFromLeaves(
  leafHashes: readonly Uint8Array[],
  first: number,
  second: number,
): Buffer[] {
  assertPrefix(leafHashes, second);
  assertSize(first, 'first size');
  if (first > second) throw new RangeError('merkle: first size must not exceed the second');
  if (first === 0 || first === second) return [];
  return subproof(leafHashes, first, 0, second, true);
}

function mth(d: readonly Uint8Array[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 0) return emptyRoot();
  if (n === 1) return Buffer.from(d[start] as Uint8Array);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(mth(d, start, start + k), mth(d, start + k, end));
}

function path(d: readonly Uint8Array[], m: number, start: number, end: number): Buffer[] {
  const n = end - start;
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  return m < k
    ? [...path(d, m, start, start + k), mth(d, start + k, end)]
    : [...path(d, m - k, start + k, end), mth(d, start, start + k)];
}

function subproof(d: readonly Uint8Array[], m: number, start: number, end: number, b: boolean): Buffer[] {
  const n = end - start;
  if (m === n) return b ? [] : [mth(d, start, end)];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...subproof(d, m, start, start + k, b), mth(d, start + k, end)]
    : [...subproof(d, m - k, start + k, end, false), mth(d, start, start + k)];
}

// ---------------------------------------------------------------------------------------------

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

function foldRight(hashes: readonly Uint8Array[]): Uint8Array {
  let r = hashes[hashes.length - 1] as Uint8Array;
  for (let j = hashes.length - 2; j >= 0; j--) r = nodeHash(hashes[j] as Uint8Array, r);
  return r;
}

/** Largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function assertSize(n: number, what: string): void {
  if (!isSize(n)) throw new RangeError(`merkle: ${what} must be a non-negative safe integer`);
}

function assertHash(h: Uint8Array, what: string): Uint8Array {
  if (h.length !== HASH_SIZE) throw new TypeError(`merkle: ${what} must be a 32-byte hash`);
  return h;
}

function assertPrefix(leafHashes: readonly Uint8Array[], size: number): void {
  assertSize(size, 'tree size');
  if (size > leafHashes.length) throw new RangeError('merkle: tree size exceeds the leaves given');
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

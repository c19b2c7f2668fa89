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

/** Right-to-left fold of subtree roots with nodeHash (how RFC 9162 combines unequal subtrees). */
export function foldRight(hashes: readonly Uint8Array[]): Uint8Array {
  let r = hashes[hashes.length - 1] as Uint8Array;
  for (let j = hashes.length - 2; j >= 0; j--) r = nodeHash(hashes[j] as Uint8Array, r);
  return r;
}

/** Largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
export function largestPowerOfTwoBelow(n: number): number {
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

/** @throws RangeError unless n is a non-negative safe integer. */
export function assertSize(n: number, what: string): void {
  if (!isSize(n)) throw new RangeError(`merkle: ${what} must be a non-negative safe integer`);
}

/** @throws TypeError unless h is a 32-byte hash. */
export function assertHash(h: Uint8Array, what: string): Uint8Array {
  if (h.length !== HASH_SIZE) throw new TypeError(`merkle: ${what} must be a 32-byte hash`);
  return h;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/**
 * Reference computations of RFC 9162 §2.1: literally the recursive definitions of MTH (§2.1.1),
 * PATH (§2.1.3.1) and PROOF (§2.1.4.1) over in-memory leaf hashes. O(n) per call: the
 * independent second computation the tests hold the stored-node plans of merkle.ts to, and a
 * way to prove small logs held in memory.
 */
import { assertSize, emptyRoot, largestPowerOfTwoBelow, nodeHash } from './merkle.js';

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

function assertPrefix(leafHashes: readonly Uint8Array[], size: number): void {
  assertSize(size, 'tree size');
  if (size > leafHashes.length) throw new RangeError('merkle: tree size exceeds the leaves given');
}

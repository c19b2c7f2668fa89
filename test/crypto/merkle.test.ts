import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyRoot,
  leafHash,
  MerkleAccumulator,
  nodeHash,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/crypto/merkle.js';
import {
  assembleFromPlan,
  completedNodes,
  consistencyProofPlan,
  hashCompletedNodes,
  hashRange,
  inclusionProofPlan,
  isStoredAt,
  planRefs,
  rootPlan,
  type NodeRef,
} from '../../src/crypto/merkle-plan.js';
import { consistencyProofFromLeaves, inclusionProofFromLeaves } from '../../src/crypto/merkle-reference.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');
const key = (ref: NodeRef): string => `${ref.level}:${ref.index}`;

// RFC 6962 / 9162 reference data of the Go and C++ CT implementations, from
// transparency-dev/merkle testonly/constants.go and proof/verify_test.go.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// Every complete subtree of the 8-leaf tree, by level then index.
const CT_NODES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  [
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
];
// verify_test.go numbers leaves from 1; these are 0-based indices.
const CT_INCLUSION: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CT_CONSISTENCY: { first: number; second: number; proof: string[] }[] = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    first: 6,
    second: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** MTH by its recursive definition (RFC 9162 §2.1.1), written out once more in the test. */
function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** A log with every stored node, grown only through completedNodes/hashCompletedNodes. */
class NodeStore {
  readonly nodes = new Map<string, Buffer>();
  size = 0;
  append(leaf: Buffer): void {
    const lookup = (ref: NodeRef): Buffer => this.get(ref);
    for (const node of hashCompletedNodes(this.size, leaf, lookup)) this.nodes.set(key(node), node.hash);
    this.size++;
  }
  get(ref: NodeRef): Buffer {
    const h = this.nodes.get(key(ref));
    if (h === undefined) throw new Error(`node ${key(ref)} is not stored`);
    return h;
  }
  /** A lookup that only answers for nodes complete at `size`, as a store at that size would. */
  at(size: number): (ref: NodeRef) => Buffer {
    return (ref) => {
      if (!isStoredAt(ref, size)) throw new Error(`node ${key(ref)} does not exist at size ${size}`);
      return this.get(ref);
    };
  }
}

const LEAVES = Array.from({ length: 200 }, (_, i) => leafHash(Buffer.from(`audit entry ${i}`)));
const STORE = new NodeStore();
for (const leaf of LEAVES) STORE.append(leaf);
const ROOTS = Array.from({ length: LEAVES.length + 1 }, (_, n) => rootFromLeafHashes(LEAVES.slice(0, n)));
const OTHER = createHash('sha256').update('other').digest();

function flipBit(proof: readonly Buffer[], i: number): Buffer[] {
  return proof.map((p, j) => {
    if (j !== i) return p;
    const copy = Buffer.from(p);
    copy[0] = (copy[0] as number) ^ 0x08;
    return copy;
  });
}

/**
 * Collects failed checks and asserts none at the end: one `expect` per loop iteration would cost
 * more than the hashing these loops test.
 */
function checklist(): { check: (ok: boolean, what: string) => void; problems: string[] } {
  const problems: string[] = [];
  return { problems, check: (ok, what) => void (ok || problems.push(what)) };
}

describe('RFC 9162 hashing: known answers', () => {
  it('the empty root is SHA-256 of the empty string', () => {
    expect(hex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(rootFromLeafHashes([]))).toBe(CT_ROOTS[0]);
    expect(hex(new MerkleAccumulator().root())).toBe(CT_ROOTS[0]);
    expect(hex(hashRange(rootPlan(0), () => Buffer.alloc(32)))).toBe(CT_ROOTS[0]);
  });

  it('roots of the CT reference leaves match the published roots for sizes 0..8', () => {
    const hashes = CT_LEAVES.map(leafHash);
    const store = new NodeStore();
    const acc = new MerkleAccumulator();
    for (let n = 0; n <= 8; n++) {
      expect(hex(rootFromLeafHashes(hashes.slice(0, n))), `size ${n}`).toBe(CT_ROOTS[n]);
      expect(hex(acc.root()), `size ${n}`).toBe(CT_ROOTS[n]);
      expect(hex(hashRange(rootPlan(n), store.at(n))), `size ${n}`).toBe(CT_ROOTS[n]);
      if (n < 8) {
        store.append(hashes[n] as Buffer);
        acc.push(hashes[n] as Buffer);
      }
    }
  });

  it('appends store exactly the published complete-subtree hashes', () => {
    const store = new NodeStore();
    for (const entry of CT_LEAVES) store.append(leafHash(entry));
    const expected = new Map<string, string>();
    CT_NODES.forEach((level, l) => level.forEach((h, i) => expected.set(`${l}:${i}`, h)));
    expect(new Map([...store.nodes].map(([k, v]) => [k, hex(v)]))).toEqual(expected);
  });

  it.each(CT_INCLUSION)('the inclusion proof of leaf $index in size $size is the published one', (v) => {
    const hashes = CT_LEAVES.map(leafHash);
    const store = new NodeStore();
    for (const h of hashes.slice(0, v.size)) store.append(h);
    const plan = inclusionProofPlan(v.index, v.size);
    expect(assembleFromPlan(plan, store.at(v.size)).map(hex)).toEqual(v.proof);
    expect(inclusionProofFromLeaves(hashes, v.index, v.size).map(hex)).toEqual(v.proof);
    const root = unhex(CT_ROOTS[v.size] as string);
    expect(verifyInclusion(hashes[v.index] as Buffer, v.index, v.size, v.proof.map(unhex), root)).toBe(true);
  });

  it.each(CT_CONSISTENCY)('the consistency proof $first → $second is the published one', (v) => {
    const hashes = CT_LEAVES.map(leafHash);
    const store = new NodeStore();
    for (const h of hashes.slice(0, v.second)) store.append(h);
    const plan = consistencyProofPlan(v.first, v.second);
    expect(assembleFromPlan(plan, store.at(v.second)).map(hex)).toEqual(v.proof);
    expect(consistencyProofFromLeaves(hashes, v.first, v.second).map(hex)).toEqual(v.proof);
    const [r1, r2] = [unhex(CT_ROOTS[v.first] as string), unhex(CT_ROOTS[v.second] as string)];
    expect(verifyConsistency(v.first, v.second, r1, r2, v.proof.map(unhex))).toBe(true);
  });

  it('hashes a leaf as SHA-256(0x00 || entry) at every entry size', () => {
    for (const size of [0, 1, 1023, 1024, 5000, 64 * 1024 - 1, 64 * 1024, 200_000]) {
      const entry = Buffer.alloc(size, size % 251);
      const expected = createHash('sha256')
        .update(Buffer.from([0]))
        .update(entry)
        .digest();
      expect(leafHash(entry).equals(expected), `size ${size}`).toBe(true);
    }
  });

  it('refuses to hash children that are not 32 bytes', () => {
    expect(() => nodeHash(Buffer.alloc(31), Buffer.alloc(32))).toThrow(TypeError);
    expect(() => nodeHash(Buffer.alloc(32), Buffer.alloc(33))).toThrow(TypeError);
    expect(() => rootFromLeafHashes([Buffer.alloc(31)])).toThrow(TypeError);
  });
});

describe('inclusion proofs, every index of every size 1..64', () => {
  it('the stored-node plan equals the recursive PATH and verifies against the root', () => {
    const { check, problems } = checklist();
    for (let n = 1; n <= 64; n++) {
      for (let i = 0; i < n; i++) {
        const proof = assembleFromPlan(inclusionProofPlan(i, n), STORE.at(n));
        const path = inclusionProofFromLeaves(LEAVES, i, n);
        check(proof.map(hex).join() === path.map(hex).join(), `plan ≠ PATH for ${i}/${n}`);
        check(verifyInclusion(LEAVES[i] as Buffer, i, n, proof, ROOTS[n] as Buffer), `no verify ${i}/${n}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('fails for a different entry, a different index, a different size or a different root', () => {
    const { check, problems } = checklist();
    for (let n = 1; n <= 64; n++) {
      const root = ROOTS[n] as Buffer;
      for (let i = 0; i < n; i++) {
        const leaf = LEAVES[i] as Buffer;
        const proof = inclusionProofFromLeaves(LEAVES, i, n);
        const fails = (ok: boolean, why: string): void => check(!ok, `${why} accepted for ${i}/${n}`);
        fails(verifyInclusion(LEAVES[(i + 1) % 200] as Buffer, i, n, proof, root), 'next entry');
        fails(verifyInclusion(OTHER, i, n, proof, root), 'other entry');
        for (const j of [i - 1, i + 1, i ^ 2, n, n + 1, -1]) {
          if (j !== i) fails(verifyInclusion(leaf, j, n, proof, root), `index ${j}`);
        }
        // Not n ± 1: leaf 0 of size 3 has the same path as in size 4. A proof binds the leaf, its
        // index and the root; the size is bound to the root by the signed checkpoint.
        for (const m of [n * 2, Math.floor(n / 2)]) {
          if (m !== n) fails(verifyInclusion(leaf, i, m, proof, root), `size ${m}`);
        }
        fails(verifyInclusion(leaf, i, n, proof, ROOTS[n - 1] as Buffer), 'previous root');
        fails(verifyInclusion(leaf, i, n, proof, emptyRoot()), 'empty root');
        fails(verifyInclusion(leaf, i, n, proof, OTHER), 'other root');
      }
    }
    expect(problems).toEqual([]);
  });

  it('fails when the proof is truncated, extended, reordered or has a flipped bit', () => {
    const { check, problems } = checklist();
    for (let n = 1; n <= 64; n++) {
      const root = ROOTS[n] as Buffer;
      for (let i = 0; i < n; i++) {
        const leaf = LEAVES[i] as Buffer;
        const proof = inclusionProofFromLeaves(LEAVES, i, n);
        const fails = (p: Buffer[], why: string): void => {
          check(!verifyInclusion(leaf, i, n, p, root), `${why} accepted for ${i}/${n}`);
        };
        fails([...proof, OTHER], 'trailing garbage');
        fails([...proof, root], 'trailing root');
        fails([OTHER, ...proof], 'preceding garbage');
        fails([root, ...proof], 'preceding root');
        if (proof.length > 0) fails(proof.slice(0, -1), 'removed last');
        if (proof.length > 0) fails(proof.slice(1), 'removed first');
        if (proof.length > 1) fails([proof[0] as Buffer, OTHER, ...proof.slice(1)], 'inserted');
        if (proof.length > 1) fails([proof[1] as Buffer, proof[0] as Buffer, ...proof.slice(2)], 'swapped');
        for (let k = 0; k < proof.length; k++) fails(flipBit(proof, k), `bit flipped in ${k}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses index ≥ size, bad numbers and hashes of the wrong length', () => {
    const proof = inclusionProofFromLeaves(LEAVES, 5, 8);
    const [leaf, root] = [LEAVES[5] as Buffer, ROOTS[8] as Buffer];
    expect(verifyInclusion(leaf, 5, 8, proof, root)).toBe(true);
    for (const [index, size] of [
      [8, 8],
      [9, 8],
      [0, 0],
      [-1, 8],
      [5.5, 8],
      [5, 8.5],
      [5, NaN],
      [5, 2 ** 53],
    ] as const) {
      expect(verifyInclusion(leaf, index, size, proof, root), `${index}/${size}`).toBe(false);
    }
    expect(verifyInclusion(leaf.subarray(0, 31), 5, 8, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 5, 8, proof, root.subarray(0, 31))).toBe(false);
    expect(verifyInclusion(leaf, 5, 8, [Buffer.alloc(31), ...proof.slice(1)], root)).toBe(false);
    expect(rootFromInclusionProof(leaf, 8, 8, proof)).toBeNull();
    // A one-leaf tree: the leaf is the root and the proof is empty.
    expect(verifyInclusion(LEAVES[0] as Buffer, 0, 1, [], ROOTS[1] as Buffer)).toBe(true);
    expect(verifyInclusion(LEAVES[0] as Buffer, 0, 1, [OTHER], ROOTS[1] as Buffer)).toBe(false);
    expect(() => inclusionProofPlan(8, 8)).toThrow(RangeError);
    expect(() => inclusionProofPlan(-1, 8)).toThrow(RangeError);
    expect(() => inclusionProofFromLeaves(LEAVES, 0, 201)).toThrow(RangeError);
  });
});

describe('consistency proofs, every pair 1 ≤ m ≤ n ≤ 64', () => {
  it('the stored-node plan equals the recursive PROOF and verifies', () => {
    const { check, problems } = checklist();
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = assembleFromPlan(consistencyProofPlan(m, n), STORE.at(n));
        const reference = consistencyProofFromLeaves(LEAVES, m, n);
        check(proof.map(hex).join() === reference.map(hex).join(), `plan ≠ PROOF for ${m}→${n}`);
        check(verifyConsistency(m, n, ROOTS[m] as Buffer, ROOTS[n] as Buffer, proof), `no verify ${m}→${n}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('fails for other sizes, other roots, and truncated, extended or altered proofs', () => {
    const { check, problems } = checklist();
    for (let n = 2; n <= 64; n++) {
      for (let m = 1; m < n; m++) {
        const [r1, r2] = [ROOTS[m] as Buffer, ROOTS[n] as Buffer];
        const proof = consistencyProofFromLeaves(LEAVES, m, n);
        const fails = (a: number, b: number, x: Buffer, y: Buffer, p: Buffer[], why: string): void => {
          check(!verifyConsistency(a, b, x, y, p), `${why} accepted for ${m}→${n}`);
        };
        for (const a of [m - 1, m + 1, m ^ 2]) if (a !== m) fails(a, n, r1, r2, proof, `first ${a}`);
        // As for inclusion, not n ± 1: the second size is bound to its root by the checkpoint.
        for (const b of [n * 2, Math.floor(n / 2)]) if (b !== n) fails(m, b, r1, r2, proof, `second ${b}`);
        fails(m, n, OTHER, r2, proof, 'wrong first root');
        fails(m, n, r1, OTHER, proof, 'wrong second root');
        fails(m, n, r2, r1, proof, 'swapped roots');
        fails(m, n, r1, r2, [], 'empty proof');
        fails(m, n, r1, r2, [...proof, OTHER], 'trailing garbage');
        fails(m, n, r1, r2, [...proof, r1], 'trailing first root');
        fails(m, n, r1, r2, [...proof, r2], 'trailing second root');
        fails(m, n, r1, r2, [OTHER, ...proof], 'preceding garbage');
        fails(m, n, r1, r2, [r1, ...proof], 'preceding first root');
        fails(m, n, r1, r2, [r2, ...proof], 'preceding second root');
        fails(m, n, r1, r2, [proof[0] as Buffer, ...proof], 'preceding proof[0]');
        fails(m, n, r1, r2, proof.slice(0, -1), 'truncated');
        for (let k = 0; k < proof.length; k++) fails(m, n, r1, r2, flipBit(proof, k), `bit flipped in ${k}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('decides the edge cases fail-closed: first = second, first = 0, first > second', () => {
    const [r4, r5] = [ROOTS[4] as Buffer, ROOTS[5] as Buffer];
    expect(verifyConsistency(4, 4, r4, r4, [])).toBe(true);
    expect(verifyConsistency(4, 4, r4, r5, [])).toBe(false);
    expect(verifyConsistency(4, 4, r4, r4, [OTHER])).toBe(false);
    expect(verifyConsistency(0, 5, emptyRoot(), r5, [])).toBe(true);
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [])).toBe(true);
    expect(verifyConsistency(0, 0, emptyRoot(), r5, [])).toBe(false);
    expect(verifyConsistency(0, 5, r4, r5, [])).toBe(false);
    expect(verifyConsistency(0, 5, emptyRoot(), r5, [emptyRoot()])).toBe(false);
    expect(verifyConsistency(5, 4, r5, r4, consistencyProofFromLeaves(LEAVES, 4, 5))).toBe(false);
    expect(verifyConsistency(-1, 4, r4, r4, [])).toBe(false);
    expect(verifyConsistency(4, 5, r4.subarray(1), r5, consistencyProofFromLeaves(LEAVES, 4, 5))).toBe(false);
    expect(consistencyProofPlan(0, 9)).toEqual([]);
    expect(consistencyProofPlan(9, 9)).toEqual([]);
    expect(() => consistencyProofPlan(5, 4)).toThrow(RangeError);
    expect(() => consistencyProofFromLeaves(LEAVES, 5, 4)).toThrow(RangeError);
  });
});

describe('the stored-node model', () => {
  it('appends store exactly the complete subtrees, two per append amortised', () => {
    let total = 0;
    for (let n = 0; n < 1024; n++) total += completedNodes(n).length;
    expect(total).toBe(2047); // 1024 leaves + 1023 interior nodes
    expect(completedNodes(11).map(key)).toEqual(['0:11', '1:5', '2:2']);
    expect(completedNodes(11)[2]?.children).toEqual([
      { level: 1, index: 4 },
      { level: 1, index: 5 },
    ]);
    const expected = new Set<string>();
    for (let level = 0; 2 ** level <= 200; level++) {
      for (let i = 0; (i + 1) * 2 ** level <= 200; i++) expected.add(`${level}:${i}`);
    }
    expect(new Set(STORE.nodes.keys())).toEqual(expected);
  });

  it('rootPlan over stored nodes gives the root of rootFromLeafHashes, n = 1..200', () => {
    const store = new NodeStore();
    for (let n = 1; n <= 200; n++) {
      store.append(LEAVES[n - 1] as Buffer);
      expect(hex(hashRange(rootPlan(n), store.at(n))), `size ${n}`).toBe(hex(ROOTS[n] as Buffer));
      expect(hex(ROOTS[n] as Buffer), `size ${n}`).toBe(hex(referenceRoot(LEAVES.slice(0, n))));
    }
  });

  it('proof plans only read nodes that exist at that size, and their proofs verify, n = 1..200', () => {
    const { check, problems } = checklist();
    const store = new NodeStore();
    for (let n = 1; n <= 200; n++) {
      store.append(LEAVES[n - 1] as Buffer);
      // store.nodes now holds exactly what a log of size n has stored.
      const lookup = (ref: NodeRef): Buffer => store.get(ref);
      const root = ROOTS[n] as Buffer;
      const plans = [
        ...Array.from({ length: n }, (_, i) => ({ what: `${i}/${n}`, plan: inclusionProofPlan(i, n) })),
        ...Array.from({ length: n + 1 }, (_, m) => ({ what: `${m}→${n}`, plan: consistencyProofPlan(m, n) })),
      ];
      for (const { what, plan } of plans) {
        for (const ref of planRefs(plan)) check(store.nodes.has(key(ref)), `${key(ref)} missing for ${what}`);
      }
      for (let i = 0; i < n; i++) {
        const proof = assembleFromPlan(inclusionProofPlan(i, n), lookup);
        check(verifyInclusion(LEAVES[i] as Buffer, i, n, proof, root), `no verify ${i}/${n}`);
      }
      for (let m = 0; m <= n; m++) {
        const proof = assembleFromPlan(consistencyProofPlan(m, n), lookup);
        check(verifyConsistency(m, n, ROOTS[m] as Buffer, root, proof), `no verify ${m}→${n}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the accumulator reports the same node hashes an append stores', () => {
    const acc = new MerkleAccumulator();
    for (let n = 0; n < 200; n++) {
      const hashes = acc.push(LEAVES[n] as Buffer);
      expect(hashes.map(hex)).toEqual(completedNodes(n).map((ref) => hex(STORE.get(ref))));
      expect(acc.size).toBe(n + 1);
    }
    expect(acc.root().equals(ROOTS[200] as Buffer)).toBe(true);
  });

  it('a plan reads O(log n) distinct nodes, all stored, for sizes up to 2^53 − 1', () => {
    const size = fc.oneof(
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    );
    fc.assert(
      fc.property(size, fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const bound = 2 * Math.ceil(Math.log2(n)) + 1;
        const i = Math.min(n - 1, Math.floor(f * n));
        for (const plan of [inclusionProofPlan(i, n), consistencyProofPlan(i + 1, n), [rootPlan(n)]]) {
          const refs = planRefs(plan);
          expect(refs.length).toBeLessThanOrEqual(bound);
          for (const ref of refs) expect(isStoredAt(ref, n), `${key(ref)} at ${n}`).toBe(true);
        }
      }),
    );
  });

  it('proofs verify in trees larger than 2^32 (all leaves equal, so node hashes depend on level only)', () => {
    const byLevel = [leafHash(Buffer.from('x'))];
    for (let l = 1; l <= 53; l++) byLevel.push(nodeHash(byLevel[l - 1] as Buffer, byLevel[l - 1] as Buffer));
    const lookup = (ref: NodeRef): Buffer => byLevel[ref.level] as Buffer;
    for (const n of [2 ** 32 + 1, 2 ** 40 + 12345, 2 ** 53 - 1]) {
      const root = hashRange(rootPlan(n), lookup);
      for (const i of [0, 2 ** 31, 2 ** 32 - 1, 2 ** 32, n - 2, n - 1]) {
        const proof = assembleFromPlan(inclusionProofPlan(i, n), lookup);
        expect(verifyInclusion(byLevel[0] as Buffer, i, n, proof, root), `${i}/${n}`).toBe(true);
        const m = i + 1;
        const cproof = assembleFromPlan(consistencyProofPlan(m, n), lookup);
        const firstRoot = hashRange(rootPlan(m), lookup);
        expect(verifyConsistency(m, n, firstRoot, root, cproof), `${m}→${n}`).toBe(true);
      }
    }
  });

  it('rootFromLeafHashes agrees with the recursive MTH for random logs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), (n) => {
        const leaves = Array.from({ length: n }, (_, i) => leafHash(Buffer.from([i % 256, i >> 8])));
        expect(hex(rootFromLeafHashes(leaves))).toBe(hex(referenceRoot(leaves)));
      }),
      { numRuns: 50 },
    );
  });
});

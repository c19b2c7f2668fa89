/**
 * RFC 9162 hashing (see merkle.ts) over lowercase hex strings, for the audit ledger's hot paths:
 * appends and the full-log verifier.
 *
 * Why a second form: Node's one-shot `crypto.hash` returning a Buffer allocates an ArrayBuffer
 * per call, which costs more than hashing 64 bytes; returning a string does not. The ledger
 * stores and chains hashes as hex anyway (an entry's canonical bytes carry `prevHash` in hex),
 * so the verifier never needs a Buffer per entry. Results are identical to merkle.ts: the tests
 * compare both on every size.
 */
import { hash } from 'node:crypto';
import { emptyRoot } from './merkle.js';

const HASH_HEX = 64;
const HEX = /^[0-9a-f]{64}$/;

// Reused scratch: hashing is synchronous and JavaScript single-threaded, so no caller can see
// another's bytes; each use overwrites every byte it hashes.
const nodeScratch = Buffer.alloc(65);
nodeScratch[0] = 0x01;

/** Whether `text` is a 32-byte hash in lowercase hex. */
export function isHashHex(text: unknown): text is string {
  return typeof text === 'string' && text.length === HASH_HEX && HEX.test(text);
}

/**
 * Leaf hash SHA-256(0x00 || UTF-8(text)) in hex (RFC 9162 §2.1.1). U+0000 encodes as the single
 * byte 0x00 in UTF-8, so prefixing the string is exactly prefixing the bytes.
 */
export function leafHashHexOfText(text: string): string {
  return hash('sha256', '\u0000' + text, 'hex');
}

/**
 * Node hash SHA-256(0x01 || left || right) in hex.
 * @throws TypeError unless both children are 32-byte hashes in lowercase hex.
 */
export function nodeHashHex(left: string, right: string): string {
  // Buffer.write stops at the first non-hex character: check the length it wrote, so a malformed
  // child can never leave a previous call's bytes in the scratch.
  if (
    left.length !== HASH_HEX ||
    right.length !== HASH_HEX ||
    nodeScratch.write(left, 1, 'hex') !== 32 ||
    nodeScratch.write(right, 33, 'hex') !== 32
  ) {
    throw new TypeError('merkle: node children must be 32-byte hashes in hex');
  }
  return hash('sha256', nodeScratch, 'hex');
}

/**
 * {@link MerkleAccumulator} over hex hashes: a stream of leaf hashes in, the subtrees each leaf
 * completes and the running root out, in O(log n) memory.
 */
export class HexMerkleAccumulator {
  readonly #stack: string[] = [];
  readonly #completed: string[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /**
   * Adds the next leaf hash. Returns the hashes of the nodes it completes, bottom-up: index 0 is
   * the leaf itself, index L the node (L, size / 2^L − 1). The array is reused by the next push.
   */
  push(leafHex: string): readonly string[] {
    // Length only here (the verifier pushes a million of its own hashes): every hash is checked
    // to be hex when it is folded into a node, and root() checks the one that never is.
    if (typeof leafHex !== 'string' || leafHex.length !== HASH_HEX) {
      throw new TypeError('merkle: leaf hash must be 32 bytes in hex');
    }
    const completed = this.#completed;
    completed.length = 0;
    let h = leafHex;
    completed.push(h);
    for (let count = this.#size + 1; count % 2 === 0; count /= 2) {
      h = nodeHashHex(this.#stack.pop() as string, h);
      completed.push(h);
    }
    this.#stack.push(h);
    this.#size++;
    return completed;
  }

  /** MTH of the leaves pushed so far (MTH({}) when none). */
  root(): string {
    const stack = this.#stack;
    if (stack.length === 0) return emptyRoot().toString('hex');
    let r = stack[stack.length - 1] as string;
    if (!isHashHex(r)) throw new TypeError('merkle: leaf hash must be 32 bytes in hex');
    for (let j = stack.length - 2; j >= 0; j--) r = nodeHashHex(stack[j] as string, r);
    return r;
  }
}

/**
 * HMAC-SHA256 (RFC 2104) of 32-byte hashes, hex in and hex out, with the key's inner and outer
 * pads computed once.
 *
 * The audit ledger MACs every entry's leaf hash and its verifier checks a million of them in one
 * pass; `createHmac` builds a new context (and re-derives the pads) per message and returns a
 * Buffer, which is several times the cost of the two compressions HMAC needs. This computes
 * H((K ⊕ opad) || H((K ⊕ ipad) || m)) with two one-shot hashes into reused buffers. The tests
 * check it against `createHmac` on random keys and messages.
 */
import { hash } from 'node:crypto';

const BLOCK = 64;
const DIGEST = 32;

export class HashMac {
  // Key-equivalent material: these buffers are as secret as the key and live as long as it does.
  readonly #inner = Buffer.alloc(BLOCK + DIGEST);
  readonly #outer = Buffer.alloc(BLOCK + DIGEST);

  /** @throws TypeError unless the key is 32 bytes (the ledger's keyring secrets are). */
  constructor(key: Uint8Array) {
    if (key.length !== DIGEST) throw new TypeError('hash MAC: the key must be 32 bytes');
    for (let i = 0; i < BLOCK; i++) {
      const k = i < key.length ? (key[i] as number) : 0;
      this.#inner[i] = k ^ 0x36;
      this.#outer[i] = k ^ 0x5c;
    }
  }

  /**
   * HMAC-SHA256(key, message) in lowercase hex.
   * @throws TypeError unless `messageHex` is 32 bytes in hex.
   */
  macHex(messageHex: string): string {
    // Buffer.write stops at the first non-hex character: insist on all 32 bytes, so stale bytes
    // from the previous message can never be MACed in place of a malformed one.
    if (messageHex.length !== 2 * DIGEST || this.#inner.write(messageHex, BLOCK, 'hex') !== DIGEST) {
      throw new TypeError('hash MAC: the message must be a 32-byte hash in hex');
    }
    this.#outer.write(hash('sha256', this.#inner, 'hex'), BLOCK, 'hex');
    return hash('sha256', this.#outer, 'hex');
  }

  /**
   * Whether `macHex` is the MAC of `messageHex`. False (never an exception) for malformed input.
   * The comparison takes the same time wherever the strings differ.
   */
  verifyHex(messageHex: string, macHex: string): boolean {
    if (typeof messageHex !== 'string' || typeof macHex !== 'string') return false;
    if (messageHex.length !== 2 * DIGEST || macHex.length !== 2 * DIGEST) return false;
    if (this.#inner.write(messageHex, BLOCK, 'hex') !== DIGEST) return false;
    this.#outer.write(hash('sha256', this.#inner, 'hex'), BLOCK, 'hex');
    return constantTimeEqual(hash('sha256', this.#outer, 'hex'), macHex);
  }
}

/**
 * Equality of two strings in time that depends on their length only, not on where they differ,
 * without allocating (a Buffer per comparison would dominate the ledger verifier's cost).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

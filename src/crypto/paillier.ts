/**
 * The Paillier cryptosystem (Paillier 1999) with g = n + 1, so g^m = 1 + m·n (mod n²) and an
 * encryption is (1 + m·n)·r^n mod n². Additively homomorphic: E(a)·E(b) = E(a + b) and
 * E(a)^k = E(k·a), modulo n.
 *
 * - Keys: two primes of exactly bits/2 bits from node:crypto `generatePrime` (OpenSSL), n of
 *   exactly `bits` bits (3072 by default: 128-bit security, NIST SP 800-57; 2048 allowed; 1024
 *   only for tests that do not depend on size).
 * - Decryption with the CRT as python-paillier does: m_p = L_p(c^(p−1) mod p²)·h_p mod p, the same
 *   for q, recombined; h_p = L_p(g^(p−1) mod p²)^−1 = (−q)^−1 mod p for g = n + 1. The secret
 *   exponentiations run in OpenSSL's constant-time ladder (modpow.ts).
 * - The costly part of an encryption is the obfuscator r^n mod n². With the private key it is
 *   computed through the CRT (x_p^n mod p², x_q^n mod q² for independent uniform x_p, x_q, which is
 *   r^n for a uniform r ∈ Z*_{n²}); without it, natively modulo n². paillier-pool.ts keeps them
 *   precomputed off the request path.
 * - Signed integers: plaintexts above n/2 stand for negative numbers (x − n).
 * - Ciphertexts are validated before use (0 < c < n², gcd(c, n) = 1) and travel as fixed-length
 *   big-endian bytes (⌈2·bits/8⌉), parsed by length and range only: nothing that can run code.
 */
import { generatePrime } from 'node:crypto';
import {
  bitLength,
  bytesFor,
  fromBytes,
  gcd,
  mod,
  modInverse,
  toFixedBytes,
  uniformBelow,
} from './bigint.js';
import { IntegrityError, UnsupportedFormatError } from './errors.js';
import { FixedExponentPow, modPowPublic } from './modpow.js';

/** Modulus sizes accepted. 1024 is NOT secure: tests only (the analytics service makes 3072). */
export const PAILLIER_KEY_BITS = [1024, 2048, 3072, 4096] as const;
export type PaillierKeyBits = (typeof PAILLIER_KEY_BITS)[number];
export const DEFAULT_PAILLIER_BITS: PaillierKeyBits = 3072;

/** A random prime of exactly `bits` bits (OpenSSL, off the main thread). */
function randomPrime(bits: number): Promise<bigint> {
  return new Promise((resolve, reject) =>
    generatePrime(bits, { bigint: true }, (err, prime) => (err ? reject(err) : resolve(prime))),
  );
}

/** A ciphertext that is out of range, not a unit modulo n, or of the wrong length. */
export const invalidCiphertext = (why: string): IntegrityError =>
  new IntegrityError(`paillier ciphertext ${why}`);

/** The public key: what encryption, addition and validation need. */
export class PaillierPublicKey {
  readonly n: bigint;
  readonly n2: bigint;
  /** floor(n/2): plaintexts above it decode as negative. */
  readonly half: bigint;
  /** Bytes of a serialised ciphertext. */
  readonly ciphertextBytes: number;
  private coldPow: FixedExponentPow | undefined;

  constructor(
    n: bigint,
    readonly bits: PaillierKeyBits,
  ) {
    if (bitLength(n) !== bits || (n & 1n) === 0n) throw new RangeError('modulus does not match its size');
    this.n = n;
    this.n2 = n * n;
    this.half = n >> 1n;
    this.ciphertextBytes = bytesFor(2 * bits);
  }

  /** The signed integer m as a plaintext in [0, n). @throws RangeError when |m| > n/2. */
  encode(m: bigint): bigint {
    if (m > this.half || -m > this.half) throw new RangeError('integer out of the encodable range');
    return m < 0n ? this.n + m : m;
  }

  /** The signed integer a plaintext in [0, n) stands for. */
  decode(x: bigint): bigint {
    return x > this.half ? x - this.n : x;
  }

  /** A fresh obfuscator r^n mod n² for a uniform r in Z*_n (native, modulo n²: the cold path). */
  obfuscator(): bigint {
    this.coldPow ??= new FixedExponentPow(this.n2, this.n);
    let r: bigint;
    do r = uniformBelow(this.n - 1n) + 1n;
    while (gcd(r, this.n) !== 1n);
    return this.coldPow.pow(r);
  }

  /** E(x) for a plaintext x in [0, n), with the given (precomputed) obfuscator or a fresh one. */
  encryptRaw(x: bigint, obfuscator: bigint = this.obfuscator()): bigint {
    if (x < 0n || x >= this.n) throw new RangeError('plaintext out of [0, n)');
    // g^x = (n + 1)^x = 1 + x·n (mod n²), so (1 + x·n)·r = r + n·(x·r mod n) (mod n²): one
    // product reduced modulo n instead of an exponentiation, or a product reduced modulo n².
    const c = obfuscator + this.n * ((x * (obfuscator % this.n)) % this.n);
    return c >= this.n2 ? c - this.n2 : c;
  }

  /** E(m) for a signed integer m, |m| ≤ n/2. */
  encrypt(m: bigint, obfuscator?: bigint): bigint {
    return this.encryptRaw(this.encode(m), obfuscator);
  }

  /** E(a + b) from E(a) and E(b). */
  add(a: bigint, b: bigint): bigint {
    return (a * b) % this.n2;
  }

  /** E(k·a) from E(a) and a public signed constant k (variable time in k, which is public). */
  multiply(c: bigint, k: bigint): bigint {
    return modPowPublic(c, mod(k, this.n), this.n2);
  }

  /** The same plaintext under fresh randomness: c·r^n mod n². */
  rerandomise(c: bigint, obfuscator: bigint = this.obfuscator()): bigint {
    return (c * obfuscator) % this.n2;
  }

  /** @throws IntegrityError unless 0 < c < n² and gcd(c, n) = 1. */
  validate(c: bigint): bigint {
    if (c <= 0n || c >= this.n2) throw invalidCiphertext('out of range');
    if (gcd(c, this.n) !== 1n) throw invalidCiphertext('not a unit modulo n');
    return c;
  }

  /** Fixed-length big-endian bytes of a ciphertext. */
  serialise(c: bigint): Buffer {
    return toFixedBytes(c, this.ciphertextBytes);
  }

  /** The ciphertext of its bytes, validated. @throws IntegrityError. */
  parse(bytes: Uint8Array): bigint {
    if (bytes.length !== this.ciphertextBytes) throw invalidCiphertext('of the wrong length');
    return this.validate(fromBytes(bytes));
  }
}

/** Private-key format: "MVPA" | version 1 | bits (u16 BE) | p | q, each bits/16 bytes. */
const KEY_MAGIC = Buffer.from('MVPA', 'ascii');
const KEY_VERSION = 1;

/** The private key: decryption, CRT obfuscators, and the public key. */
export class PaillierPrivateKey {
  readonly publicKey: PaillierPublicKey;
  private readonly p2: bigint;
  private readonly q2: bigint;
  private readonly hp: bigint;
  private readonly hq: bigint;
  private readonly pInvQ: bigint;
  private readonly q2InvP2: bigint;
  private readonly decP: FixedExponentPow;
  private readonly decQ: FixedExponentPow;
  private readonly obfP: FixedExponentPow;
  private readonly obfQ: FixedExponentPow;

  private constructor(
    private readonly p: bigint,
    private readonly q: bigint,
    bits: PaillierKeyBits,
  ) {
    this.publicKey = new PaillierPublicKey(p * q, bits);
    this.p2 = p * p;
    this.q2 = q * q;
    this.hp = modInverse(mod(-q, p), p);
    this.hq = modInverse(mod(-p, q), q);
    this.pInvQ = modInverse(p, q);
    this.q2InvP2 = modInverse(this.q2, this.p2);
    this.decP = new FixedExponentPow(this.p2, p - 1n);
    this.decQ = new FixedExponentPow(this.q2, q - 1n);
    // See obfuscator(): x^p mod p² is distributed as r^n mod p², with a half-length exponent.
    this.obfP = new FixedExponentPow(this.p2, p);
    this.obfQ = new FixedExponentPow(this.q2, q);
  }

  /** @throws RangeError when p, q do not form a key of `bits` bits. */
  static fromPrimes(p: bigint, q: bigint, bits: PaillierKeyBits): PaillierPrivateKey {
    const half = bits / 2;
    if (p === q || bitLength(p) !== half || bitLength(q) !== half || (p & 1n) === 0n || (q & 1n) === 0n)
      throw new RangeError('primes do not fit the key size');
    return new PaillierPrivateKey(p, q, bits);
  }

  /** Serialised private key (keep it sealed: see the analytics key store). */
  export(): Buffer {
    const bits = this.publicKey.bits;
    const header = Buffer.alloc(7);
    KEY_MAGIC.copy(header, 0);
    header.writeUInt8(KEY_VERSION, 4);
    header.writeUInt16BE(bits, 5);
    const width = bits / 16;
    return Buffer.concat([header, toFixedBytes(this.p, width), toFixedBytes(this.q, width)]);
  }

  /** @throws UnsupportedFormatError for anything but a well-formed version-1 key. */
  static import(bytes: Uint8Array): PaillierPrivateKey {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (buf.length < 7 || !buf.subarray(0, 4).equals(KEY_MAGIC) || buf.readUInt8(4) !== KEY_VERSION)
      throw new UnsupportedFormatError('not a version-1 Paillier private key');
    const bits = PAILLIER_KEY_BITS.find((b) => b === buf.readUInt16BE(5));
    if (bits === undefined || buf.length !== 7 + bits / 8)
      throw new UnsupportedFormatError('Paillier key of an unsupported size');
    const width = bits / 16;
    try {
      return PaillierPrivateKey.fromPrimes(
        fromBytes(buf.subarray(7, 7 + width)),
        fromBytes(buf.subarray(7 + width)),
        bits,
      );
    } catch {
      throw new UnsupportedFormatError('Paillier key primes are malformed');
    }
  }

  /**
   * A fresh obfuscator through the CRT: two exponentiations modulo p² and q² (a quarter of the
   * size each) instead of one modulo n².
   *
   * Why x^p and not x^n modulo p²: Z*_{p²} is cyclic of order p(p−1). For uniform x, x^p is
   * uniform on its subgroup of order p−1 (every element there has exactly p p-th roots). r^n mod
   * p² for uniform r lands in the same subgroup, uniformly too: r^n = (r^p)^q and raising to q
   * permutes that subgroup because gcd(q, p − 1) = 1 (q cannot divide p − 1: both primes have
   * bits/2 bits, so p − 1 = k·q would need k = 1, p = q + 1). Same distribution, exponent of
   * bits/2 bits instead of bits: half the work. Independent halves recombine by the CRT into r^n
   * mod n² for a uniform r ∈ Z*_{n²}.
   */
  obfuscator(): bigint {
    const xp = this.unitBelow(this.p2, this.p);
    const xq = this.unitBelow(this.q2, this.q);
    return this.combine(this.obfP.pow(xp), this.obfQ.pow(xq));
  }

  /** Decrypts to a plaintext in [0, n). @throws IntegrityError for an invalid ciphertext. */
  decryptRaw(c: bigint): bigint {
    this.validate(c);
    const mp = (((this.decP.pow(c % this.p2) - 1n) / this.p) * this.hp) % this.p;
    const mq = (((this.decQ.pow(c % this.q2) - 1n) / this.q) * this.hq) % this.q;
    // Garner: m = m_q + q·((m_p − m_q)·q^−1 mod p) — here with p^−1 mod q, symmetric.
    return mp + this.p * mod((mq - mp) * this.pInvQ, this.q);
  }

  /** Decrypts to the signed integer. */
  decrypt(c: bigint): bigint {
    return this.publicKey.decode(this.decryptRaw(c));
  }

  /** Range and unit checks; gcd(c, n) = 1 is c ≢ 0 modulo p and q (cheap with the factors). */
  validate(c: bigint): bigint {
    if (c <= 0n || c >= this.publicKey.n2) throw invalidCiphertext('out of range');
    if (c % this.p === 0n || c % this.q === 0n) throw invalidCiphertext('not a unit modulo n');
    return c;
  }

  private combine(yp: bigint, yq: bigint): bigint {
    return yq + this.q2 * mod((yp - yq) * this.q2InvP2, this.p2);
  }

  private unitBelow(bound: bigint, prime: bigint): bigint {
    for (;;) {
      const x = uniformBelow(bound);
      if (x % prime !== 0n) return x;
    }
  }
}

/** A fresh key pair of `bits` bits (two primes of exactly bits/2 bits, n of exactly bits bits). */
export async function generatePaillierKey(
  bits: PaillierKeyBits = DEFAULT_PAILLIER_BITS,
): Promise<PaillierPrivateKey> {
  for (;;) {
    const [p, q] = await Promise.all([randomPrime(bits / 2), randomPrime(bits / 2)]);
    if (p !== q && bitLength(p * q) === bits) return PaillierPrivateKey.fromPrimes(p, q, bits);
  }
}

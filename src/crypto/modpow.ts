/**
 * Modular exponentiation for Paillier.
 *
 * Secret exponents (the CRT decryption exponents p−1 and q−1) never go through a BigInt
 * square-and-multiply, whose sequence of squarings and multiplications spells out the exponent's
 * bits (the npm package paillier-bigint does exactly that). {@link FixedExponentPow} hands the
 * whole exponentiation to OpenSSL through the one native modular exponentiation node:crypto
 * exposes: Diffie–Hellman `computeSecret(y)` computes y^x mod P for the "private value" x.
 * OpenSSL's DH_compute_key flags the private value BN_FLG_CONSTTIME, so BN_mod_exp_mont is
 * diverted to BN_mod_exp_mont_consttime: a fixed-window Montgomery exponentiation whose sequence
 * of operations is the same for every exponent of a given length, with its table read through
 * cache-line scattering. Nothing about DH is used beyond that: the "prime" is our modulus (an odd
 * p², q² or n²; OpenSSL's primality check fails, which `computeSecret` does not consult).
 *
 * Limits, written down: the exponent's bit length is not hidden (p−1 and q−1 have exactly
 * bits/2 bits for every key, so it says nothing); the base is public (a ciphertext) or random; the
 * BigInt arithmetic around the exponentiation (CRT recombination, L function) uses secret values
 * in V8 BigInt operations whose time depends on operand lengths and, for division, values — there
 * is no constant-time BigInt in JavaScript, so that residue is accepted and kept small.
 *
 * Bases are blinded: pow(b) = (b·s)^e · (s^e)^−1 for a random unit s fixed per instance. OpenSSL
 * refuses a result of 1 (SP 800-56A forbids a shared secret of 1), and c^(p−1) ≡ 1 (mod p²) is
 * exactly what decrypting a plaintext ≡ 0 (mod p) — E(0) — computes; blinding makes that refusal
 * as unlikely as guessing s, and hides the base from the exponentiation's timing as a bonus.
 *
 * It is also far faster: at 3072 bits OpenSSL takes ~4 ms for a 1536-bit exponent modulo p²
 * where a BigInt loop takes ~50 ms.
 */
import { createDiffieHellman, type DiffieHellman } from 'node:crypto';
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

/**
 * base^exponent mod modulus for one fixed (modulus, exponent), natively and in constant time with
 * respect to the exponent. Construction costs tens of milliseconds (OpenSSL checks the "prime"):
 * build one per key and reuse it.
 */
export class FixedExponentPow {
  private readonly dh: DiffieHellman;
  private readonly width: number;
  private readonly parityOdd: boolean;
  private readonly blind: bigint;
  private readonly unblind: bigint;

  constructor(
    readonly modulus: bigint,
    exponent: bigint,
  ) {
    if (modulus < 3n || (modulus & 1n) === 0n) throw new RangeError('modulus must be odd and > 2');
    if (exponent <= 0n) throw new RangeError('exponent must be positive');
    this.width = bytesFor(bitLength(modulus));
    this.dh = createDiffieHellman(toFixedBytes(modulus, this.width), Buffer.from([2]));
    this.dh.setPrivateKey(toFixedBytes(exponent, bytesFor(bitLength(exponent))));
    this.parityOdd = (exponent & 1n) === 1n;
    for (;;) {
      const s = uniformBelow(modulus - 3n) + 2n;
      if (gcd(s, modulus) !== 1n) continue;
      const sE = this.raw(s);
      if (sE === undefined || gcd(sE, modulus) !== 1n) continue;
      this.blind = s;
      this.unblind = modInverse(sE, modulus);
      break;
    }
  }

  /**
   * base^exponent mod modulus.
   * @throws RangeError when OpenSSL refuses the blinded base (a non-unit base, or odds of
   *   guessing the blinding factor).
   */
  pow(base: bigint): bigint {
    const blinded = this.raw((mod(base, this.modulus) * this.blind) % this.modulus);
    if (blinded === undefined) throw new RangeError('modular exponentiation refused its base');
    return (blinded * this.unblind) % this.modulus;
  }

  /** b^e natively; undefined when OpenSSL refuses (a result of 0 or 1). */
  private raw(b: bigint): bigint | undefined {
    // OpenSSL refuses "public keys" 0, 1 and P−1 (DH_check_pub_key); their powers are trivial.
    if (b === 0n || b === 1n) return b;
    if (b === this.modulus - 1n) return this.parityOdd ? b : 1n;
    try {
      return fromBytes(this.dh.computeSecret(toFixedBytes(b, this.width)));
    } catch {
      return undefined;
    }
  }
}

/**
 * base^exponent mod modulus by left-to-right square-and-multiply in BigInt. Variable time: for
 * PUBLIC exponents only (a plaintext constant in E(a)^k, the bench's textbook baseline).
 */
export function modPowPublic(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (exponent < 0n) throw new RangeError('negative exponent');
  if (modulus === 1n) return 0n;
  let result = 1n;
  const b = mod(base, modulus);
  for (let i = bitLength(exponent) - 1; i >= 0; i--) {
    result = (result * result) % modulus;
    if (((exponent >> BigInt(i)) & 1n) === 1n) result = (result * b) % modulus;
  }
  return result;
}

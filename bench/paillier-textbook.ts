/**
 * The baseline the Paillier benchmark compares against, in the same run: textbook Paillier as a
 * straightforward implementation (and the npm package paillier-bigint) writes it — two full
 * modular exponentiations per encryption (g^m and r^n modulo n², g = n + 1 but not exploited),
 * decryption without the CRT (L(c^λ mod n²)·μ mod n, one exponentiation modulo n² with a
 * full-size exponent), all in BigInt square-and-multiply. Not for use: it exists to be beaten.
 */
import { gcd, modInverse, uniformBelow } from '../src/crypto/bigint.js';
import { modPowPublic } from '../src/crypto/modpow.js';

export class TextbookPaillier {
  readonly n2: bigint;
  private readonly g: bigint;
  private readonly lambda: bigint;
  private readonly mu: bigint;

  constructor(
    readonly n: bigint,
    p: bigint,
    q: bigint,
  ) {
    this.n2 = n * n;
    this.g = n + 1n;
    this.lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    this.mu = modInverse(this.l(modPowPublic(this.g, this.lambda, this.n2)), n);
  }

  encrypt(m: bigint): bigint {
    let r: bigint;
    do r = uniformBelow(this.n - 1n) + 1n;
    while (gcd(r, this.n) !== 1n);
    return (modPowPublic(this.g, m, this.n2) * modPowPublic(r, this.n, this.n2)) % this.n2;
  }

  decrypt(c: bigint): bigint {
    return (this.l(modPowPublic(c, this.lambda, this.n2)) * this.mu) % this.n;
  }

  add(a: bigint, b: bigint): bigint {
    return (a * b) % this.n2;
  }

  private l(x: bigint): bigint {
    return (x - 1n) / this.n;
  }
}

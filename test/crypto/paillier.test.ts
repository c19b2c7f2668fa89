import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBytes, uniformBelow } from '../../src/crypto/bigint.js';
import { IntegrityError, UnsupportedFormatError } from '../../src/crypto/errors.js';
import { FixedExponentPow, modPowPublic } from '../../src/crypto/modpow.js';
import { generatePaillierKey, PaillierPrivateKey, type PaillierKeyBits } from '../../src/crypto/paillier.js';
import { CiphertextAggregator, productOfBytes } from '../../src/crypto/paillier-aggregate.js';
import { ObfuscatorPool } from '../../src/crypto/paillier-pool.js';

const keys = new Map<PaillierKeyBits, PaillierPrivateKey>();
const key = (bits: PaillierKeyBits): PaillierPrivateKey => keys.get(bits)!;

beforeAll(async () => {
  const made = await Promise.all(([1024, 2048, 3072] as const).map((b) => generatePaillierKey(b)));
  for (const k of made) keys.set(k.publicKey.bits, k);
}, 120_000);

describe('Paillier keys', () => {
  it.each([1024, 2048, 3072] as const)('a %i-bit key has a modulus of exactly that size', (bits) => {
    expect(key(bits).publicKey.n.toString(2)).toHaveLength(bits);
    expect(key(bits).publicKey.ciphertextBytes).toBe(bits / 4);
  });

  it('exports and imports the private key (fixed-length format)', () => {
    const k = key(2048);
    const bytes = k.export();
    expect(bytes.length).toBe(7 + 256);
    const again = PaillierPrivateKey.import(bytes);
    expect(again.publicKey.n).toBe(k.publicKey.n);
    expect(again.decrypt(k.publicKey.encrypt(-77n))).toBe(-77n);
  });

  it('refuses malformed key bytes', () => {
    const bytes = key(1024).export();
    const badMagic = Buffer.from(bytes);
    badMagic[0] = 0x58;
    expect(() => PaillierPrivateKey.import(badMagic)).toThrow(UnsupportedFormatError);
    expect(() => PaillierPrivateKey.import(bytes.subarray(0, bytes.length - 1))).toThrow(
      UnsupportedFormatError,
    );
    const badSize = Buffer.from(bytes);
    badSize.writeUInt16BE(1000, 5);
    expect(() => PaillierPrivateKey.import(badSize)).toThrow(UnsupportedFormatError);
    const evenPrime = Buffer.from(bytes);
    evenPrime[7 + 63] = evenPrime[7 + 63]! & 0xfe;
    expect(() => PaillierPrivateKey.import(evenPrime)).toThrow(UnsupportedFormatError);
  });
});

describe.each([1024, 2048] as const)('Paillier at %i bits', (bits) => {
  it('decrypt(encrypt(m)) = m over random m in [0, n), including 0 and n − 1', () => {
    const k = key(bits);
    const { n } = k.publicKey;
    const ms = [0n, 1n, n - 1n, n - 2n, n >> 1n, ...Array.from({ length: 40 }, () => uniformBelow(n))];
    for (const m of ms) {
      expect(k.decryptRaw(k.publicKey.encryptRaw(m, k.obfuscator()))).toBe(m);
      expect(k.decryptRaw(k.publicKey.encryptRaw(m))).toBe(m); // public-key-only (cold) obfuscator
    }
  });

  it('signed integers: negatives and the ends of the range round-trip; beyond n/2 is refused', () => {
    const k = key(bits);
    const { half } = k.publicKey;
    for (const m of [-1n, -2873n, 2873n, half, -half, -(half - 1n)])
      expect(k.decrypt(k.publicKey.encrypt(m, k.obfuscator()))).toBe(m);
    expect(() => k.publicKey.encode(half + 1n)).toThrow(RangeError);
    expect(() => k.publicKey.encode(-half - 1n)).toThrow(RangeError);
    expect(() => k.publicKey.encryptRaw(k.publicKey.n)).toThrow(RangeError);
  });

  it('E(a)·E(b) decrypts to a + b, negatives included', () => {
    const k = key(bits);
    const pk = k.publicKey;
    for (const [a, b] of [
      [5n, 7n],
      [-300n, 120n],
      [-5n, -9n],
      [uniformBelow(pk.half), -uniformBelow(pk.half)],
    ] as const)
      expect(k.decrypt(pk.add(pk.encrypt(a), pk.encrypt(b)))).toBe(a + b);
  });

  it('E(a)^k decrypts to k·a, for positive, zero and negative k', () => {
    const k = key(bits);
    const pk = k.publicKey;
    for (const [a, c] of [
      [12n, 3n],
      [12n, 0n],
      [-7n, 11n],
      [9n, -4n],
    ] as const)
      expect(k.decrypt(pk.multiply(pk.encrypt(a), c))).toBe(a * c);
  });

  it('re-randomised ciphertexts differ and decrypt equal', () => {
    const k = key(bits);
    const pk = k.publicKey;
    const c = pk.encrypt(42n);
    const r1 = pk.rerandomise(c);
    const r2 = pk.rerandomise(c, k.obfuscator());
    expect(new Set([c, r1, r2]).size).toBe(3);
    expect([k.decrypt(r1), k.decrypt(r2)]).toEqual([42n, 42n]);
    expect(pk.encrypt(42n)).not.toBe(pk.encrypt(42n));
  });

  it('validation rejects ciphertexts out of range or not coprime with n, before any use', () => {
    const k = key(bits);
    const pk = k.publicKey;
    const p = fromBytes(k.export().subarray(7, 7 + bits / 16));
    for (const bad of [0n, -1n, pk.n2, pk.n2 + 5n, p, p * 12345n, pk.n, pk.n * 3n]) {
      expect(() => pk.validate(bad)).toThrow(IntegrityError);
      expect(() => k.decrypt(bad)).toThrow(IntegrityError);
    }
    expect(() => pk.parse(Buffer.alloc(pk.ciphertextBytes - 1, 1))).toThrow(IntegrityError);
    expect(() => pk.parse(Buffer.alloc(pk.ciphertextBytes + 1, 1))).toThrow(IntegrityError);
    expect(() => pk.parse(Buffer.alloc(pk.ciphertextBytes, 0xff))).toThrow(IntegrityError); // ≥ n²
    expect(() => pk.parse(pk.serialise(p))).toThrow(IntegrityError);
  });

  it('serialises to fixed-length bytes and parses back', () => {
    const k = key(bits);
    const pk = k.publicKey;
    const c = pk.encrypt(3n);
    const bytes = pk.serialise(c);
    expect(bytes.length).toBe(pk.ciphertextBytes);
    expect(pk.parse(bytes)).toBe(c);
    expect(pk.serialise(1n)).toHaveLength(pk.ciphertextBytes);
  });
});

describe('Paillier at 3072 bits (the default)', () => {
  it('round-trips 0, n − 1, negatives and random values; adds and multiplies', () => {
    const k = key(3072);
    const pk = k.publicKey;
    for (const m of [0n, pk.n - 1n, uniformBelow(pk.n), uniformBelow(pk.n)])
      expect(k.decryptRaw(pk.encryptRaw(m, k.obfuscator()))).toBe(m);
    expect(k.decrypt(pk.encrypt(-123_456n))).toBe(-123_456n);
    expect(k.decrypt(pk.add(pk.encrypt(250n), pk.encrypt(-20n)))).toBe(230n);
    expect(k.decrypt(pk.multiply(pk.encrypt(-3n), 7n))).toBe(-21n);
  });
});

describe('constant-time modular exponentiation (OpenSSL)', () => {
  it('agrees with square-and-multiply, including the bases OpenSSL refuses (0, 1, m − 1)', () => {
    const m = key(1024).publicKey.n2;
    for (const e of [3n, 65_537n, uniformBelow(m) | 1n, uniformBelow(m) & ~1n]) {
      const pow = new FixedExponentPow(m, e);
      for (const b of [0n, 1n, 2n, m - 1n, uniformBelow(m), uniformBelow(m)])
        expect(pow.pow(b)).toBe(modPowPublic(b, e, m));
    }
  });

  it('decrypts E(0), whose exponentiation result is 1 (refused by OpenSSL without blinding)', () => {
    const k = key(2048);
    for (let i = 0; i < 5; i++) expect(k.decrypt(k.publicKey.encrypt(0n, k.obfuscator()))).toBe(0n);
  });
});

describe('obfuscator pool', () => {
  it('hands out each precomputed obfuscator once, refills in the background, and encrypts correctly', async () => {
    const k = key(1024);
    const pool = new ObfuscatorPool(k, { size: 8, lowWater: 4 });
    pool.fill();
    expect(pool.available).toBe(8);
    const taken = Array.from({ length: 6 }, () => pool.take());
    expect(new Set(taken).size).toBe(6);
    for (const [i, r] of taken.entries())
      expect(k.decrypt(k.publicKey.encrypt(BigInt(i), r))).toBe(BigInt(i));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pool.available).toBe(8);
    pool.stop();
    expect(pool.available).toBe(0);
    expect(k.decrypt(k.publicKey.encrypt(5n, pool.take()))).toBe(5n); // empty: computed on the spot
  });
});

describe('aggregation', () => {
  const batch = (k: PaillierPrivateKey, values: readonly bigint[]): Buffer => {
    const pk = k.publicKey;
    const r = k.obfuscator();
    return Buffer.concat(values.map((v) => pk.serialise(pk.rerandomise(pk.encrypt(v, r), r))));
  };

  it('the product of 3,000 ciphertexts over worker threads decrypts to the sum', async () => {
    const k = key(1024);
    const values = Array.from({ length: 3000 }, (_, i) => BigInt((i % 251) - 60));
    const aggregator = new CiphertextAggregator({ threads: 2 });
    try {
      const product = await aggregator.product(k.publicKey.n2, batch(k, values), k.publicKey.ciphertextBytes);
      expect(k.decrypt(product)).toBe(values.reduce((a, b) => a + b, 0n));
    } finally {
      await aggregator.close();
    }
  });

  it('names the first ciphertext out of range, on a worker and inline', async () => {
    const k = key(1024);
    const width = k.publicKey.ciphertextBytes;
    const bytes = batch(
      k,
      Array.from({ length: 2500 }, () => 1n),
    );
    bytes.fill(0, 2100 * width, 2101 * width);
    const aggregator = new CiphertextAggregator({ threads: 2 });
    try {
      await expect(aggregator.product(k.publicKey.n2, bytes, width)).rejects.toThrow(
        /number 2100 out of range/,
      );
      await expect(
        aggregator.product(k.publicKey.n2, bytes.subarray(0, 5 * width), width),
      ).resolves.toBeTypeOf('bigint');
      expect(productOfBytes(k.publicKey.n2, bytes.subarray(2099 * width, 2102 * width), width)).toBe(-2);
      await expect(aggregator.product(k.publicKey.n2, randomBytes(width + 1), width)).rejects.toThrow(
        IntegrityError,
      );
    } finally {
      await aggregator.close();
    }
  });
});

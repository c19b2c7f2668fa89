/**
 * Small BigInt helpers for the number-theoretic code (Paillier, discrete Laplace): fixed-length
 * big-endian bytes, inverses, gcd and uniform sampling from the CSPRNG. Timing: V8's BigInt
 * operations run in time that depends on their operands' lengths (and division on their values);
 * callers keep secret exponents out of them (see modpow.ts).
 */
import { randomBytes, randomInt } from 'node:crypto';

/** Number of bits of a non-negative integer (0 for 0). */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Bytes needed for an integer of `bits` bits. */
export const bytesFor = (bits: number): number => Math.ceil(bits / 8);

/**
 * `x` as exactly `length` big-endian bytes.
 * @throws RangeError when x is negative or does not fit.
 */
export function toFixedBytes(x: bigint, length: number): Buffer {
  if (x < 0n) throw new RangeError('negative integer');
  const hex = x.toString(16);
  if (hex.length > length * 2) throw new RangeError('integer too large for its field');
  return Buffer.from(hex.padStart(length * 2, '0'), 'hex');
}

/** The non-negative integer of big-endian bytes. */
export function fromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`);
}

/** Greatest common divisor (Euclid; public values only). */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/**
 * The inverse of `a` modulo `m`.
 * @throws RangeError when a is not invertible modulo m.
 */
export function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return ((s0 % m) + m) % m;
}

/** A non-negative remainder (BigInt `%` keeps the dividend's sign). */
export const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

const SAFE_RANDOM_INT = 2n ** 48n;

/**
 * A uniform integer in [0, bound), from node:crypto: `randomInt` below 2^48, otherwise rejection
 * sampling on `randomBytes` (mask to the bound's bit length, retry above it: no modulo bias).
 */
export function uniformBelow(bound: bigint): bigint {
  if (bound <= 0n) throw new RangeError('bound must be positive');
  if (bound <= SAFE_RANDOM_INT) return BigInt(randomInt(Number(bound)));
  const bits = bitLength(bound - 1n);
  const bytes = bytesFor(bits);
  const excess = BigInt(bytes * 8 - bits);
  for (;;) {
    const candidate = fromBytes(randomBytes(bytes)) >> excess;
    if (candidate < bound) return candidate;
  }
}

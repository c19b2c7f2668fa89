import { VITAL_KEYS, type VitalKey } from '../../contract/vocabulary/vital-metrics.js';

/**
 * Packing: all the numbers of one vitals record (each measured metric and the age) go into ONE
 * Paillier plaintext, each in a slot of its own, so a record costs one encryption (one
 * obfuscator, milliseconds at 3072 bits) instead of one per value.
 *
 *     plaintext = Σ value(metric) · 2^(SLOT_BITS · slot(metric))      slot = index in VITAL_KEYS
 *
 * Why it stays correct under the homomorphism: a product of ciphertexts decrypts to the sum of
 * their plaintexts, which is the slot-wise sum as long as no slot carries into the next. Every
 * value is a non-negative fixed-point integer below 2^VALUE_BITS (the declared bounds keep them
 * under 10,000), so a slot of SLOT_BITS holds the sum of 2^(SLOT_BITS − VALUE_BITS) = 2^32 rows —
 * far beyond any cohort — and the 7 slots take 448 bits, well under half of the smallest modulus
 * (1024 bits, tests only), so the total never wraps modulo n nor reads as negative.
 *
 * Why no privacy changes: each record's plaintext is encrypted under fresh randomness exactly as
 * a single value was; the service decrypts only a cohort's total and releases only the slot the
 * query asked for, through the same noise. The other slots' totals never leave the service.
 */
export const SLOT_BITS = 64n;
/** Largest value a slot accepts is 2^VALUE_BITS − 1. */
export const VALUE_BITS = 32;

const SLOT_MASK = (1n << SLOT_BITS) - 1n;
const slotOf = (metric: VitalKey): bigint => BigInt(VITAL_KEYS.indexOf(metric));

/**
 * The packed plaintext of one record's encoded values (absent metrics are 0).
 * @throws RangeError for a value that is not an integer in [0, 2^VALUE_BITS) or a metric twice.
 */
export function packVitals(values: ReadonlyArray<readonly [VitalKey, number]>): bigint {
  let packed = 0n;
  const seen = new Set<VitalKey>();
  for (const [metric, value] of values) {
    if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** VALUE_BITS)
      throw new RangeError(`${metric}: a packed value must be an integer in [0, 2^${VALUE_BITS})`);
    if (seen.has(metric)) throw new RangeError(`${metric} packed twice`);
    seen.add(metric);
    packed |= BigInt(value) << (SLOT_BITS * slotOf(metric));
  }
  return packed;
}

/** One metric's slot of a (summed) packed plaintext. */
export function unpackVital(packed: bigint, metric: VitalKey): bigint {
  if (packed < 0n) throw new RangeError('a packed total is never negative');
  return (packed >> (SLOT_BITS * slotOf(metric))) & SLOT_MASK;
}

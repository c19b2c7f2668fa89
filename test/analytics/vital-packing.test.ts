import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { packVitals, unpackVital, VALUE_BITS } from '../../src/app/analytics/vital-packing.js';
import { VITAL_KEYS, VITAL_METRICS, type VitalKey } from '../../src/contract/vocabulary/vital-metrics.js';
import { generatePaillierKey } from '../../src/crypto/paillier.js';

/** A random record: each metric present with probability 2/3, a random in-bounds encoded value. */
function randomRecord(): Array<[VitalKey, number]> {
  return VITAL_KEYS.filter(() => randomInt(3) > 0).map((k) => {
    const m = VITAL_METRICS[k];
    return [k, randomInt(m.min * m.scale, m.max * m.scale + 1)];
  });
}

describe('packing a record’s vitals into one Paillier plaintext', () => {
  it('each slot reads back its value; absent metrics read 0', () => {
    for (let i = 0; i < 200; i++) {
      const record = randomRecord();
      const packed = packVitals(record);
      for (const k of VITAL_KEYS)
        expect(unpackVital(packed, k)).toBe(BigInt(record.find(([m]) => m === k)?.[1] ?? 0));
    }
  });

  it('the product of 300 ciphertexts decrypts to every slot’s sum (no carry between slots)', async () => {
    const key = await generatePaillierKey(1024);
    const pk = key.publicKey;
    const records = Array.from({ length: 300 }, randomRecord);
    // The largest value every slot allows, too: the worst case for carries.
    records.push(VITAL_KEYS.map((k) => [k, 2 ** VALUE_BITS - 1]));
    let product = pk.encryptRaw(0n);
    for (const r of records) product = pk.add(product, pk.encryptRaw(packVitals(r)));
    const total = key.decryptRaw(product);
    for (const k of VITAL_KEYS) {
      const expected = records.reduce((s, r) => s + BigInt(r.find(([m]) => m === k)?.[1] ?? 0), 0n);
      expect(unpackVital(total, k), k).toBe(expected);
    }
  });

  it('refuses values a slot cannot hold and a metric given twice', () => {
    for (const bad of [-1, 0.5, 2 ** VALUE_BITS, Number.NaN])
      expect(() => packVitals([['heartRate', bad]]), String(bad)).toThrow(RangeError);
    expect(() =>
      packVitals([
        ['heartRate', 60],
        ['heartRate', 61],
      ]),
    ).toThrow(RangeError);
  });
});

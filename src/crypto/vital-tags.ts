/**
 * Keyed tags of the encrypted-vitals table, both HMAC-SHA256 under keys derived (HKDF-SHA256,
 * RFC 5869) from one 32-byte analytics secret:
 *
 * - the AGE TAG of a measurement: HMAC(K_age, "age:" ‖ whole years) truncated to 16 bytes. It
 *   lets a query select an age band without the age in clear. Leakage (docs/analytics.md): equal
 *   ages give equal tags, so the database shows how many measurements share an age — a histogram
 *   over 131 unlabelled buckets — and a query's tags show which buckets it asked for.
 * - the RECORD MAC: HMAC(K_mac, length-prefixed columns) over record id, patient id, measurement
 *   time, key id, the list of metrics present, ciphertext and age tag. Paillier ciphertexts are
 *   malleable by design; the MAC stops someone with write access to the database from editing
 *   one, moving it to another record or patient, claiming a metric the record does not hold, or
 *   inserting their own, without the query noticing.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export const AGE_TAG_BYTES = 16;
export const ROW_MAC_BYTES = 32;

export interface VitalRecordFields {
  readonly recordId: string;
  readonly patientId: string;
  readonly measuredAt: number;
  readonly keyId: string;
  /** Comma-separated metric names. */
  readonly metrics: string;
  readonly ciphertext: Uint8Array;
  readonly ageTag: Uint8Array;
}

const derive = (secret: Uint8Array, label: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `medvault/analytics/${label}/v1`, 32));

function lengthPrefixed(parts: ReadonlyArray<Uint8Array | string>): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    chunks.push(len, bytes);
  }
  return Buffer.concat(chunks);
}

export class VitalTags {
  readonly #ageKey: Buffer;
  readonly #macKey: Buffer;

  /** @throws TypeError unless the secret is 32 bytes. */
  constructor(secret: Uint8Array) {
    if (secret.length !== 32) throw new TypeError('vital tags: the secret must be 32 bytes');
    this.#ageKey = derive(secret, 'age-tag');
    this.#macKey = derive(secret, 'record-mac');
  }

  /** The tag of an age in whole years. */
  ageTag(years: number): Buffer {
    if (!Number.isSafeInteger(years) || years < 0)
      throw new RangeError('age must be a whole number of years');
    return createHmac('sha256', this.#ageKey)
      .update(`age:${years}`, 'utf8')
      .digest()
      .subarray(0, AGE_TAG_BYTES);
  }

  recordMac(row: VitalRecordFields): Buffer {
    return createHmac('sha256', this.#macKey)
      .update(
        lengthPrefixed([
          row.recordId,
          row.patientId,
          String(row.measuredAt),
          row.keyId,
          row.metrics,
          row.ciphertext,
          row.ageTag,
        ]),
      )
      .digest();
  }

  /** Whether a stored MAC matches its record (constant-time compare). */
  verify(row: VitalRecordFields, mac: Uint8Array): boolean {
    const expected = this.recordMac(row);
    return mac.length === expected.length && timingSafeEqual(expected, mac);
  }
}

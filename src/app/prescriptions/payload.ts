/**
 * The signed prescription payload, format version 1. The signature covers exactly the RFC 8785
 * canonical JSON of this object (UTF-8), so every party — the browser, `medvault rx sign`, the
 * server and `medvault rx verify` — derives the same bytes from the same fields. Fields:
 *
 * | field        | meaning                                                              |
 * | ------------ | -------------------------------------------------------------------- |
 * | v            | 1                                                                    |
 * | patientId    | the patient's id                                                     |
 * | medicine     | {id, name, strength, form} as the doctor saw them in the catalog      |
 * | dose         | e.g. "1 tablet"                                                      |
 * | route        | one of {@link ROUTES}                                                |
 * | frequency    | e.g. "twice daily"                                                   |
 * | quantity     | units to hand out per fill, 1..1000                                  |
 * | refills      | fills after the first, 0..11                                         |
 * | instructions | free text for the patient, up to 1000 characters                     |
 * | issuedAt     | epoch ms when signed                                                 |
 * | expiresAt    | epoch ms after which nothing may be dispensed                        |
 * | nonce        | 16+ random bytes, base64url: two identical prescriptions differ      |
 * | prescriberId | the signing doctor's user id                                         |
 * | keyId        | id of the doctor's registered public key (src/crypto/signature.ts)   |
 * | override     | optional {reason, warnings}: why the doctor went on despite warnings  |
 *
 * Only strings, integers, arrays of strings and nested objects: for such values RFC 8785 is "keys sorted,
 * JSON.stringify for the rest", which the browser reproduces in a few lines.
 */
import { Value } from '@sinclair/typebox/value';
import {
  PrescriptionPayloadSchema,
  type PrescriptionPayload,
} from '../../contract/api/prescription-payload.js';
import { canonicalJson, type JsonValue } from '../../contract/canonical-json.js';

export {
  MAX_INSTRUCTIONS,
  MAX_QUANTITY,
  MAX_REFILLS,
  MAX_VALIDITY_MS,
  ROUTES,
  type Route,
} from '../../contract/vocabulary/prescription-fields.js';
/** Largest canonical payload accepted, in bytes (the schema's bounds keep real ones near 1 KiB). */
export const MAX_PAYLOAD_BYTES = 12 * 1024;

export {
  MedicineRef,
  PrescriptionPayloadSchema,
  type PrescriptionPayload,
} from '../../contract/api/prescription-payload.js';

/** Why bytes are not a valid signed payload (safe to show). */
export class PayloadFormatError extends Error {
  override readonly name = 'PayloadFormatError';
}

/**
 * The canonical text of a payload (what is signed).
 * @throws PayloadFormatError when the value does not fit the schema or has no canonical form
 *   (e.g. a lone surrogate in a string).
 */
export function canonicalPayload(value: unknown): string {
  if (!Value.Check(PrescriptionPayloadSchema, value)) {
    const first = Value.Errors(PrescriptionPayloadSchema, value).First();
    throw new PayloadFormatError(
      first === undefined ? 'payload is invalid' : `payload${first.path} ${first.message}`,
    );
  }
  let canonical: string;
  try {
    canonical = canonicalJson(value as unknown as JsonValue);
  } catch (err) {
    throw new PayloadFormatError(`payload has no canonical JSON form: ${(err as Error).message}`);
  }
  if (Buffer.byteLength(canonical, 'utf8') > MAX_PAYLOAD_BYTES)
    throw new PayloadFormatError(`payload exceeds ${MAX_PAYLOAD_BYTES} bytes`);
  return canonical;
}

/**
 * Reads signed bytes back: they must parse, fit the schema and BE the canonical form (so one
 * payload has one byte string and one hash).
 * @throws PayloadFormatError otherwise.
 */
export function parseCanonicalPayload(text: string): PrescriptionPayload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PayloadFormatError('payload is not JSON');
  }
  if (canonicalPayload(value) !== text) throw new PayloadFormatError('payload is not in canonical form');
  return value as PrescriptionPayload;
}

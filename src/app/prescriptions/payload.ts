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
 *
 * Only strings, integers and one nested object: for such values RFC 8785 is "keys sorted,
 * JSON.stringify for the rest", which the browser reproduces in a few lines.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { canonicalJson, type JsonValue } from '../../contract/canonical-json.js';
import {
  MAX_INSTRUCTIONS,
  MAX_QUANTITY,
  MAX_REFILLS,
  ROUTES,
} from '../../contract/vocabulary/prescription-fields.js';

export {
  MAX_INSTRUCTIONS,
  MAX_QUANTITY,
  MAX_REFILLS,
  MAX_VALIDITY_MS,
  ROUTES,
  type Route,
} from '../../contract/vocabulary/prescription-fields.js';
/** Largest canonical payload accepted, in bytes (the bounds below keep real ones near 1 KiB). */
export const MAX_PAYLOAD_BYTES = 4096;

// No C0 control characters except in instructions, where a line break is allowed.
const TEXT = '^[^\\u0000-\\u001f\\u007f]*$';
const MULTILINE = '^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f]*$';
const text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max, pattern: TEXT });
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$' });
/** Epoch milliseconds between 2001 and 2286. */
const Time = Type.Integer({ minimum: 1_000_000_000_000, maximum: 9_999_999_999_999 });

export const MedicineRef = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9.-]*$' }),
    name: text(200),
    strength: text(100),
    form: text(100),
  },
  { additionalProperties: false },
);

export const PrescriptionPayloadSchema = Type.Object(
  {
    v: Type.Literal(1),
    patientId: Id,
    medicine: MedicineRef,
    dose: text(100),
    route: Type.Union(ROUTES.map((r) => Type.Literal(r))),
    frequency: text(100),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    refills: Type.Integer({ minimum: 0, maximum: MAX_REFILLS }),
    instructions: Type.String({ minLength: 0, maxLength: MAX_INSTRUCTIONS, pattern: MULTILINE }),
    issuedAt: Time,
    expiresAt: Time,
    nonce: Type.String({ minLength: 22, maxLength: 88, pattern: '^[A-Za-z0-9_-]+$' }),
    prescriberId: Id,
    keyId: Type.String({ minLength: 22, maxLength: 22, pattern: '^[A-Za-z0-9_-]+$' }),
  },
  { additionalProperties: false, title: 'PrescriptionPayload' },
);
export type PrescriptionPayload = Static<typeof PrescriptionPayloadSchema>;

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

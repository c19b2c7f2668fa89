/**
 * The signed prescription payload, format version 1: what a doctor's browser or CLI signs
 * (RFC 8785 canonical JSON of this object, UTF-8) and submits, and what the evidence carries.
 * Field meanings are in src/app/prescriptions/payload.ts, which checks the rest (canonical form,
 * size).
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  MAX_INSTRUCTIONS,
  MAX_OVERRIDE_REASON,
  MAX_OVERRIDE_WARNINGS,
  MAX_QUANTITY,
  MAX_REFILLS,
  MAX_WARNING_TEXT,
  ROUTES,
} from '../vocabulary/prescription-fields.js';

// No C0 control characters except in instructions, where a line break is allowed.
const TEXT = '^[^\\u0000-\\u001f\\u007f]*$';
const MULTILINE = '^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f]*$';
const text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max, pattern: TEXT });
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$' });
/** Epoch milliseconds between 2001 and 2286. */
const Time = Type.Integer({ minimum: 1_000_000_000_000, maximum: 9_999_999_999_999 });

/** A registered key's id (src/crypto/signature.ts): 22 base64url characters. */
export const KeyIdField = Type.String({ minLength: 22, maxLength: 22, pattern: '^[A-Za-z0-9_-]+$' });

export const RouteField = Type.Union(ROUTES.map((r) => Type.Literal(r)));

export const MedicineRef = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9.-]*$' }),
    name: text(200),
    strength: text(100),
    form: text(100),
  },
  { additionalProperties: false },
);
export type MedicineRef = Static<typeof MedicineRef>;

/**
 * Why the doctor prescribes despite the prescribing checks' warnings (allergy, duplicate), and the
 * warnings they were shown: signed with the rest, so the reason is the doctor's as much as the
 * dose is. Present only when there were warnings; payloads without it (all of those signed
 * before issue 20) keep their bytes and verify as they did.
 */
export const OverrideField = Type.Object(
  {
    reason: Type.String({
      minLength: 3,
      maxLength: MAX_OVERRIDE_REASON,
      pattern: '^(?=.*\\S.*\\S.*\\S)[^\\u0000-\\u001f\\u007f]*$',
    }),
    warnings: Type.Array(text(MAX_WARNING_TEXT), { maxItems: MAX_OVERRIDE_WARNINGS }),
  },
  { additionalProperties: false },
);
export type Override = Static<typeof OverrideField>;

export const PrescriptionPayloadSchema = Type.Object(
  {
    v: Type.Literal(1),
    patientId: Id,
    medicine: MedicineRef,
    dose: text(100),
    route: RouteField,
    frequency: text(100),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    refills: Type.Integer({ minimum: 0, maximum: MAX_REFILLS }),
    instructions: Type.String({ minLength: 0, maxLength: MAX_INSTRUCTIONS, pattern: MULTILINE }),
    issuedAt: Time,
    expiresAt: Time,
    nonce: Type.String({ minLength: 22, maxLength: 88, pattern: '^[A-Za-z0-9_-]+$' }),
    prescriberId: Id,
    keyId: KeyIdField,
    override: Type.Optional(OverrideField),
  },
  { additionalProperties: false, title: 'PrescriptionPayload' },
);
export type PrescriptionPayload = Static<typeof PrescriptionPayloadSchema>;

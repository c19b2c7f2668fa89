import { entry, type ErrorEntry } from '../error-kinds.js';

/** Prescriptions (docs/prescriptions.md). Part of the one catalogue, src/contract/errors.ts. */
export const PRESCRIPTION_ERRORS = {
  invalid_payload: entry(
    'invalid_input',
    'prescriptions',
    'The prescription payload is invalid.',
    'the payload does not fit its schema or bounds, or has no canonical JSON form',
  ),
  key_id_mismatch: entry(
    'invalid_input',
    'prescriptions',
    'keyId must be the key id inside the signed payload.',
    '`keyId` differs from the key id inside the signed payload',
  ),
  prescriber_mismatch: entry(
    'invalid_input',
    'prescriptions',
    'prescriberId must be your own user id.',
    "the payload's `prescriberId` is not the caller",
  ),
  invalid_issue_time: entry(
    'invalid_input',
    'prescriptions',
    'issuedAt is too far from the current time.',
    "`issuedAt` is more than 10 minutes from the server's clock",
  ),
  invalid_expiry: entry(
    'invalid_input',
    'prescriptions',
    'expiresAt is not acceptable.',
    '`expiresAt` is past, before `issuedAt`, or more than a year after it',
  ),
  unknown_medicine: entry(
    'invalid_input',
    'prescriptions',
    'The medicine is not in the catalog.',
    'the medicine is not a catalog entry with that name, strength and form',
  ),
  too_many_refills: entry(
    'invalid_input',
    'prescriptions',
    'Too many refills for this medicine.',
    "more refills than a controlled substance's schedule allows (II: none; III–V: 5)",
  ),
  prescribing_warnings: entry(
    'integrity',
    'prescriptions',
    'This prescription raises warnings (allergy or duplicate therapy); sign it again with an override reason.',
    'the prescribing checks warn (an allergy to the medicine or its class, or an active prescription with the same ingredient or class) and the signed payload carries no `override` reason; the message names the warnings',
  ),
  duplicate_prescription: entry(
    'conflict',
    'prescriptions',
    'This signed prescription was already submitted.',
    'these exact signed bytes were submitted before (a replay)',
  ),
  already_dispensed: entry(
    'conflict',
    'prescriptions',
    'This prescription has no fills left to dispense.',
    'no fill left',
  ),
  refill_not_due: entry(
    'conflict',
    'prescriptions',
    'This refill is not due yet.',
    "too little of the previous fill's supply has elapsed (MEDVAULT_REFILL_DUE_PERCENT); the message says when it is due",
  ),
  dispense_conflict: entry(
    'conflict',
    'prescriptions',
    'Another pharmacist dispensed this fill at the same moment.',
    'another dispense of the same fill committed first',
  ),
  invalid_signature: entry(
    'integrity',
    'prescriptions',
    'The signature does not verify.',
    'the signature does not verify over the canonical payload with the registered key',
  ),
  legacy_signature: entry(
    'integrity',
    'prescriptions',
    'This prescription was signed in the old format without a signing context; it must be signed again.',
    'the signature verifies only over the bare canonical payload (the format before issue 15), which a login signature harvested by a compromised server could also be; never accepted',
  ),
  unknown_signing_key: entry(
    'integrity',
    'prescriptions',
    'This key is not one of your registered keys.',
    "the key id is not one of the prescriber's registered keys",
  ),
  signing_key_revoked: entry(
    'integrity',
    'prescriptions',
    'This signing key has been revoked.',
    'the key is revoked (at submission), or was revoked before the prescription was issued (dispense)',
  ),
  payload_unreadable: entry(
    'integrity',
    'prescriptions',
    'The stored prescription cannot be read.',
    'the stored payload does not decrypt in its place (altered or moved)',
  ),
  payload_altered: entry(
    'integrity',
    'prescriptions',
    'The stored prescription no longer matches what the doctor signed.',
    'the stored payload, its hash or the clear columns no longer match what was signed',
  ),
  key_mismatch: entry(
    'integrity',
    'prescriptions',
    'The stored key id differs from the one the payload names.',
    'the stored key id differs from the one the payload names',
  ),
  algorithm_mismatch: entry(
    'integrity',
    'prescriptions',
    'The signing key does not match the recorded signature algorithm.',
    'the registered key does not match the recorded algorithm',
  ),
  prescription_expired: entry(
    'integrity',
    'prescriptions',
    'The prescription has expired.',
    'past `expiresAt`',
  ),
} as const satisfies Readonly<Record<string, ErrorEntry>>;

/**
 * THE error catalogue: every error MedVault answers with has a stable code listed here, with its
 * kind (which fixes the HTTP status), a default message and when it happens. Services make
 * errors only from these codes (the type `ErrorCode` is closed), the HTTP layer maps the kind to
 * a status in one place, the clients read the code, and docs/errors.md is generated from this
 * table (`npm run docs:errors`; a test fails when the two disagree).
 *
 * Messages are safe to show to the caller: no secrets, no patient data, and for access failures
 * deliberately generic ("not found" also for what exists but is not yours).
 */

import { entry, STATUS_BY_KIND, type ErrorEntry } from './error-kinds.js';

export { STATUS_BY_KIND, type ErrorArea, type ErrorEntry, type ErrorKind } from './error-kinds.js';

export const ERROR_CATALOGUE = {
  // General: any route.
  invalid_input: entry(
    'invalid_input',
    'general',
    'The request is invalid.',
    'a field is missing or malformed; the message names the field (`body/pin must match pattern …`) without echoing its value',
  ),
  malformed_json: entry(
    'invalid_input',
    'general',
    'The body is not valid JSON.',
    'the body is not JSON, or is empty',
  ),
  bad_request: entry(
    'invalid_input',
    'general',
    'The request was refused.',
    'another client error raised by the HTTP framework (a 4xx status it chose, with our text)',
  ),
  unauthenticated: entry(
    'unauthenticated',
    'general',
    'Log in first.',
    'not logged in, or the session ended (idle, absolute expiry, logout, account disabled)',
  ),
  forbidden: entry(
    'forbidden',
    'general',
    'Your role may not do this.',
    "the caller's role may never do this",
  ),
  csrf: entry(
    'forbidden',
    'general',
    'Cookie-authenticated writes need the x-medvault-csrf: 1 header.',
    'a cookie-authenticated write without the `X-MedVault-CSRF: 1` header',
  ),
  not_found: entry(
    'not_found',
    'general',
    'Not found.',
    "no such thing, _or_ it exists but is not the caller's to know about",
  ),
  method_not_allowed: entry(
    'method_not_allowed',
    'general',
    'This method is not allowed here.',
    'wrong method for a known path',
  ),
  not_acceptable: entry(
    'not_acceptable',
    'general',
    'No acceptable representation.',
    'the `Accept` header asks for a representation the route cannot give',
  ),
  conflict: entry(
    'conflict',
    'general',
    'This conflicts with the current state.',
    'the action conflicts with the current state (more specific codes below say which)',
  ),
  payload_too_large: entry(
    'payload_too_large',
    'general',
    'The request body is too large.',
    'body over `MEDVAULT_BODY_LIMIT`, or an attachment over `MEDVAULT_ATTACHMENT_LIMIT_MB`',
  ),
  unsupported_media_type: entry(
    'unsupported_media_type',
    'general',
    'This content type is not accepted here.',
    'a content type the route does not accept; for attachments also a file whose first bytes are not of its declared type',
  ),
  range_not_satisfiable: entry(
    'range_not_satisfiable',
    'general',
    'The requested range cannot be served.',
    'a `Range` header outside the file',
  ),
  integrity_failure: entry(
    'integrity',
    'general',
    'Stored data failed its integrity check.',
    'stored data failed its integrity check; nothing is returned or changed, and the failure is ledgered',
  ),
  rate_limited: entry(
    'rate_limited',
    'general',
    'Too many attempts.',
    'too many requests from one address, or an account locked after failed logins; `Retry-After` says when to try again',
  ),
  internal: entry(
    'internal',
    'general',
    'An unexpected error occurred.',
    'a bug: the message is generic, the details are in the server log only',
  ),
  unavailable: entry(
    'unavailable',
    'general',
    'The service is unavailable.',
    'the database is unreachable or lost its connection (`/readyz` says so; `Retry-After` says when to retry), or the server is shutting down',
  ),
  storage_full: entry(
    'unavailable',
    'general',
    'The database has no space left to write; nothing was changed.',
    'the disk under the database is full: writes, and reads (whose ledger entry cannot be written), are refused until an operator frees space',
  ),
  sealed: entry(
    'unavailable',
    'general',
    'The server is sealed: officers must unseal it with their key shares.',
    'the master key is split between officers and fewer than the threshold of valid shares have been given since the server started; every route but the health checks and `POST /api/v1/system/unseal` answers this',
  ),
  share_refused: entry(
    'integrity',
    'general',
    'This key share does not match its commitment.',
    'an unseal share that is wrong, corrupted, or from an earlier split; the message names the share by its index',
  ),
  not_sealed: entry(
    'conflict',
    'general',
    'The server is not sealed.',
    'an unseal call to a server that is already unsealed (or whose key is not split)',
  ),

  // Idempotent creates (`Idempotency-Key`, any create route).
  idempotency_key_invalid: entry(
    'invalid_input',
    'general',
    'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
    'an `Idempotency-Key` header that is empty, too long or not visible ASCII',
  ),
  idempotency_key_reused: entry(
    'integrity',
    'general',
    'This Idempotency-Key was used for a different request; send a new key for a new request.',
    'a create retried with the same `Idempotency-Key` but another route, target or body than its first use',
  ),
  idempotency_in_flight: entry(
    'conflict',
    'general',
    'A request with this Idempotency-Key is still being processed; retry after it finishes.',
    'the same `Idempotency-Key` sent again while its first request is still running (on any server)',
  ),
  idempotency_answer_lost: entry(
    'conflict',
    'general',
    'The request with this Idempotency-Key was carried out, but its answer was lost; look the result up instead of retrying.',
    'a retry of a create that committed while its server died before it could store the answer (a window of one statement)',
  ),

  // Identity: logins, accounts, keys, patients.
  credential_queue_full: entry(
    'unavailable',
    'identity',
    'The server is busy checking other logins. Try again shortly.',
    'the bounded queue of password and PIN hashing is full (a login flood); answered at once, before anything is checked or counted; `Retry-After` says when to try again',
  ),
  login_failed: entry(
    'unauthenticated',
    'identity',
    'Login failed.',
    'any login or recovery factor is wrong — one generic answer whichever it was',
  ),
  weak_password: entry(
    'invalid_input',
    'identity',
    'Choose a stronger password.',
    'the new password is too short, too long, common, a pattern or derived from the account; the message says what to do',
  ),
  invalid_key: entry(
    'invalid_input',
    'identity',
    'The public key is not usable.',
    'a public key that is not PEM, not RSA ≥ 2048 or Ed25519, or otherwise unusable',
  ),
  username_taken: entry('conflict', 'identity', 'That username is taken.', 'a staff username already in use'),
  key_registered: entry(
    'conflict',
    'identity',
    'That public key is already registered.',
    'a public key already registered to an account',
  ),
  cannot_disable_self: entry(
    'conflict',
    'identity',
    'You cannot disable your own account.',
    'an admin disabling their own account',
  ),
  duplicate_patient: entry(
    'conflict',
    'identity',
    'A patient with this SSN is already registered.',
    'a second registration of an SSN',
  ),
  invalid_type: entry(
    'invalid_input',
    'records',
    'The record type is not known.',
    'a record type that does not exist, or is not written through this route (prescriptions are signed)',
  ),
  database_not_empty: entry(
    'conflict',
    'general',
    'The database already holds patients.',
    '`medvault seed` on a database that already holds patients (seeding adds a whole hospital, never into a live one)',
  ),
  invalid_doctor: entry(
    'invalid_input',
    'identity',
    'That user is not an active doctor.',
    'a care-team assignment or grant naming a user who is not an active doctor',
  ),

  // Records, attachments and statistics.
  invalid_body: entry(
    'invalid_input',
    'records',
    'The record body does not fit its type.',
    "a record body that does not fit its type's schema; the message names the field",
  ),
  vital_out_of_range: entry(
    'invalid_input',
    'records',
    'A vital sign is outside its declared bounds.',
    'a vital sign outside the bounds declared for its metric (docs/analytics.md)',
  ),
  read_only_access: entry(
    'forbidden',
    'records',
    "Your access to this patient's records is read-only.",
    "a doctor who may read the patient's records (through a grant with scope `read`, or one that does not cover this type for writing) tries to write a record, upload an attachment or prescribe",
  ),
  not_imaging_record: entry(
    'conflict',
    'records',
    'Attachments belong to imaging records only.',
    'an attachment uploaded to a record that is not an imaging study',
  ),
  privacy_budget_exhausted: entry(
    'rate_limited',
    'records',
    "The hospital's privacy budget has less epsilon left in this window than this query asks for; nothing was spent.",
    "a statistics query whose epsilon exceeds what is left of the hospital's privacy budget in the current window, or of the analyst's share of it; nothing spent; the message and `Retry-After` say when the window resets",
  ),

  // Prescriptions (docs/prescriptions.md).
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

  // Audit ledger.
  invalid_audit_event: entry(
    'invalid_input',
    'audit',
    'The audit event filter is not known.',
    'an audit entry filter naming an unknown event',
  ),
  invalid_proof_request: entry(
    'invalid_input',
    'audit',
    'The proof request is invalid.',
    'an inclusion or consistency proof asked for sizes or indexes the log does not have',
  ),
  invalid_proof_document: entry(
    'invalid_input',
    'audit',
    'The proof document is not readable.',
    'a proof document given to `medvault audit proof verify` that does not parse',
  ),
  invalid_verifier_key: entry(
    'invalid_input',
    'audit',
    'The verifier key is not readable.',
    'a checkpoint verifier key (note format) that does not parse',
  ),
} as const satisfies Readonly<Record<string, ErrorEntry>>;

/** Every stable error code MedVault uses. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export const isErrorCode = (value: string): value is ErrorCode => Object.hasOwn(ERROR_CATALOGUE, value);

/** The HTTP status of a code. */
export const statusOf = (code: ErrorCode): number => STATUS_BY_KIND[ERROR_CATALOGUE[code].kind];

/** The error answer's body: `{ "error": { "code", "message" } }`. */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

import { entry, type ErrorEntry } from '../error-kinds.js';

/** Identity: logins, accounts, keys, patients. Part of the one catalogue, src/contract/errors.ts. */
export const IDENTITY_ERRORS = {
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
  invalid_mrn: entry(
    'invalid_input',
    'identity',
    'That medical record number is not valid. Check the eight digits.',
    'an MRN that is not eight digits or whose check digit does not match (a mistyped digit)',
  ),
  search_criteria: entry(
    'invalid_input',
    'identity',
    'Give a medical record number, a name or a date of birth to search.',
    'a patient search with nothing to search by, or a name with no letters or digits',
  ),
  lookup_criteria: entry(
    'invalid_input',
    'identity',
    'Give the medical record number, or the full name and the date of birth.',
    'a break-glass look-up with a name but no date of birth (or the reverse): no partial browsing of the whole hospital',
  ),
  not_enrolled: entry(
    'forbidden',
    'identity',
    'This account is not activated yet. Use "First time here?" with the enrolment code from your registration slip.',
    'a patient login for an SSN that is registered but has not enrolled (chosen a PIN and password) yet',
  ),
  enrolment_code_invalid: entry(
    'unauthenticated',
    'identity',
    'The SSN and enrolment code do not match. Check the code on your registration slip.',
    'an activation whose SSN and enrolment code do not match a pending enrolment (wrong code, unknown SSN, no code issued) — one answer whichever it was; counts toward the lockout like a login',
  ),
  enrolment_code_expired: entry(
    'unauthenticated',
    'identity',
    'This enrolment code has expired. Ask the registration desk for a new one.',
    'an activation with the right code after its expiry (`MEDVAULT_ENROLMENT_CODE_HOURS`)',
  ),
  enrolment_code_used: entry(
    'conflict',
    'identity',
    'This enrolment code has already been used. Sign in with your PIN and password.',
    'an activation with a code already spent (the account is enrolled)',
  ),
  already_enrolled: entry(
    'conflict',
    'identity',
    'This patient has already enrolled.',
    'a registrar asking a new enrolment code for a patient who has already chosen a PIN and password (re-enrolment is not this route)',
  ),
  credentials_mismatch: entry(
    'forbidden',
    'identity',
    'The current PIN or password is not right.',
    "a signed-in patient's credential change, new recovery code or similar whose current PIN or password is wrong; counts toward the account's lockout",
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
} as const satisfies Readonly<Record<string, ErrorEntry>>;

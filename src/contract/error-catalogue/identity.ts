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

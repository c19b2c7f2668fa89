/**
 * Keyed blind index for finding a patient by SSN without storing the SSN in the clear: the SSN
 * itself is stored as envelope ciphertext, and beside it
 *
 *     index = HMAC-SHA256(key, "medvault/blind-index/v1/ssn" || 0x00 || canonical SSN)
 *
 * (RFC 2104), 32 bytes, with the key a keyring secret that is never in the database.
 *
 * Leakage, written down on purpose:
 * - Equal SSNs give equal indexes (that is what makes lookup and the "already registered" check
 *   work), so the database shows which rows share an SSN; ours has a unique index, so none do.
 * - Without the key the index reveals nothing: the SSN space is only 10^9 values, so an unkeyed
 *   hash could be inverted by enumerating it in minutes; the HMAC key is what stops that.
 * - With the key (a full compromise of the keyring), every SSN can be recovered by enumeration.
 */
import { createHmac } from 'node:crypto';

const SSN_RE = /^([0-9]{3})-([0-9]{2})-([0-9]{4})$/;
const SSN_LABEL = 'medvault/blind-index/v1/ssn';
const MIN_KEY_BYTES = 32;

/**
 * The canonical form of a US Social Security Number (`###-##-####`, ASCII digits), or null when
 * the input is not in that form. Surrounding whitespace is ignored; nothing else is accepted, so
 * one SSN has exactly one canonical form and one index.
 *
 * Only the shape is checked, not SSA issuance rules (area 000, 666, 9xx…), so demo and test data
 * may use any digits.
 */
export function normaliseSsn(input: string): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const match = SSN_RE.exec(input.trim());
  return match === null ? null : `${match[1]}-${match[2]}-${match[3]}`;
}

/**
 * The 32-byte blind index of an SSN under `key` (HMAC-SHA256 with a domain label, so the same key
 * used for another index never yields the same bytes).
 *
 * @throws RangeError if `ssn` is not a valid SSN (it is normalised first) or the key is shorter
 *   than 32 bytes: validate user input with {@link normaliseSsn} before calling.
 */
export function ssnBlindIndex(ssn: string, key: Buffer): Buffer {
  if (!Buffer.isBuffer(key) || key.length < MIN_KEY_BYTES)
    throw new RangeError(`blind-index key must be at least ${MIN_KEY_BYTES} bytes`);
  const canonical = normaliseSsn(ssn);
  if (canonical === null) throw new RangeError('not an SSN of the form ###-##-####');
  return keyedIndex(SSN_LABEL, canonical, key);
}

const STAFF_USERNAME_LABEL = 'medvault/blind-index/v1/staff-username';

/**
 * The 32-byte keyed hash of a username typed at staff login that names no account (issue 15,
 * finding 8: it may be a password typed in the wrong box), so it is never stored in the clear.
 * Same construction and leakage as the SSN index, under its own label; pass the normalised form.
 *
 * @throws RangeError if the key is shorter than 32 bytes.
 */
export function staffUsernameBlindIndex(username: string, key: Buffer): Buffer {
  if (!Buffer.isBuffer(key) || key.length < MIN_KEY_BYTES)
    throw new RangeError(`blind-index key must be at least ${MIN_KEY_BYTES} bytes`);
  return keyedIndex(STAFF_USERNAME_LABEL, username, key);
}

function keyedIndex(label: string, value: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(label, 'utf8').update(Buffer.of(0)).update(value, 'utf8').digest();
}

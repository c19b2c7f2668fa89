/**
 * Searchable-encryption tokens (the MediCrypt prototype's HMAC keyword index, made keyed per
 * field): a keyword is stored only as
 *
 *     fieldKey = HKDF-SHA256(ikm = search secret, salt = "", info = "medvault/search/v1/" || field, 32)
 *     token    = HMAC-SHA256(fieldKey, normalised keyword)
 *
 * (RFC 5869, RFC 2104). Deterministic on purpose: equal keywords in the same field give equal
 * tokens, which is what lets the server find them without decrypting anything. The leakage that
 * follows is documented in the README ("Search leakage"); different fields use different keys, so
 * "penicillin" as an allergy and as a doctor's keyword do not link.
 */
import { createHmac, hkdfSync } from 'node:crypto';

const INFO_PREFIX = 'medvault/search/v1/';
export const SEARCH_TOKEN_BYTES = 32;

/** The key of one indexed field. @throws RangeError for a secret shorter than 32 bytes. */
export function deriveFieldKey(secret: Uint8Array, field: string): Buffer {
  if (secret.length < 32) throw new RangeError('search secret must be at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), INFO_PREFIX + field, 32));
}

/** The token of an already-normalised keyword under a field key. */
export function searchToken(fieldKey: Uint8Array, normalisedKeyword: string): Buffer {
  return createHmac('sha256', fieldKey).update(normalisedKeyword, 'utf8').digest();
}

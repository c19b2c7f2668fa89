/**
 * Verifiers for high-entropy one-time codes we generate ourselves (a patient's recovery code):
 * keyed HMAC-SHA256, not argon2id.
 *
 *     mv1$p<pepper version>$hmac-sha256$<base64 of HMAC(pepper, label ‖ 0x00 ‖ context ‖ 0x00 ‖ code)>
 *
 * Why not a slow hash: a password hash buys time against guessing a secret a person chose. A
 * recovery code is 125 bits from the CSPRNG; no guessing reaches it, with or without a slow hash.
 * NIST SP 800-63B (§5.1.2.2, look-up secrets) asks for exactly this split: secrets of at least
 * 112 bits may be stored under an approved one-way function, shorter ones need a salted slow
 * KDF. What argon2id would add is 38 ms of CPU and 46 MiB per registration and per recovery.
 *
 * - The pepper (a keyring secret, never in the database) keys the HMAC, so a copy of the
 *   database cannot test a guess at all — the same protection the argon2id verifiers get.
 * - The label separates this use of the pepper from the argon2 pre-hash (password-hash.ts).
 * - The context (the patient's id) binds a verifier to its row: copied onto another patient, a
 *   code one knows opens nothing there. No salt is needed: codes never repeat.
 * - Comparison is constant-time; a stored value of any other shape simply fails.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Pepper, PepperLookup } from './password-hash.js';

const LABEL = 'medvault/lookup-secret/v1';
const STORED_RE = /^mv1\$p([1-9][0-9]{0,9})\$hmac-sha256\$([A-Za-z0-9+/]{43}=)$/;

function digest(key: Buffer, context: string, code: string): Buffer {
  return createHmac('sha256', key).update(`${LABEL}\0${context}\0${code}`, 'utf8').digest();
}

/** The stored verifier of `code` (already normalised) for the row named by `context`. */
export function lookupSecretVerifier(code: string, context: string, pepper: Pepper): string {
  return `mv1$p${pepper.version}$hmac-sha256$${digest(pepper.key, context, code).toString('base64')}`;
}

/**
 * Whether `code` matches `stored` for `context`. False for a malformed verifier or an unknown
 * pepper version (never throws on what the database holds).
 */
export function verifyLookupSecret(
  stored: string,
  code: string,
  context: string,
  pepperFor: PepperLookup,
): boolean {
  const match = STORED_RE.exec(stored);
  if (match === null) return false;
  let key: Buffer | undefined;
  try {
    key = pepperFor(Number(match[1]));
  } catch {
    return false;
  }
  if (key === undefined) return false;
  const expected = Buffer.from(match[2] as string, 'base64');
  return timingSafeEqual(expected, digest(key, context, code));
}

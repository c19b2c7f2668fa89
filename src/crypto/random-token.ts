/**
 * Random secrets handed to people and programs: session tokens, recovery codes and staff login
 * challenge nonces. All randomness comes from the operating system's CSPRNG (node:crypto).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Crockford's base32 alphabet (https://www.crockford.com/base32.html): no I, L, O or U. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Groups × characters per group of a recovery code: 25 characters × 5 bits = 125 bits, above the
 * 112 bits NIST SP 800-63B asks of a look-up secret stored under a fast keyed hash.
 */
export const RECOVERY_CODE_GROUPS = 5;
export const RECOVERY_CODE_GROUP_LENGTH = 5;

const MIN_TOKEN_BYTES = 16;
const MAX_TOKEN_BYTES = 1024;
const RECOVERY_CODE_LENGTH = RECOVERY_CODE_GROUPS * RECOVERY_CODE_GROUP_LENGTH;
const RECOVERY_CODE_RE = new RegExp(`^[${CROCKFORD_ALPHABET}]{${RECOVERY_CODE_LENGTH}}$`);

/**
 * A fresh random token of `bytes` bytes (default 32 = 256 bits), as unpadded base64url
 * (RFC 4648 §5), so it fits in a cookie or an Authorization header unescaped. 32 bytes give a
 * 43-character token.
 *
 * @throws RangeError unless 16 <= bytes <= 1024 (fewer than 128 bits is too guessable).
 */
export function randomToken(bytes = 32): string {
  if (!Number.isSafeInteger(bytes) || bytes < MIN_TOKEN_BYTES || bytes > MAX_TOKEN_BYTES)
    throw new RangeError(`token size must be ${MIN_TOKEN_BYTES}..${MAX_TOKEN_BYTES} bytes`);
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 of a token's UTF-8 bytes (32 bytes), the form in which session and reset tokens are
 * stored, so a copy of the database holds no usable token. Unsalted and fast on purpose: a token
 * from {@link randomToken} has 256 bits of entropy, which no dictionary or brute force reaches,
 * and the lookup must be one indexed equality.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * A one-time recovery code for a patient: 5 groups of 5 Crockford base32 characters joined by
 * dashes, e.g. `7QKX2-M9D4R-0HZ3T-WB1NE-4G8JA`: 125 bits from the CSPRNG, each character drawn
 * uniformly (crypto.randomInt has no modulo bias). Store it only as a verifier of its normalised
 * form (lookup-secret.ts, through PatientSecrets.recoveryVerifier).
 */
export function recoveryCode(): string {
  return groupedCode(RECOVERY_CODE_GROUPS, RECOVERY_CODE_GROUP_LENGTH);
}

/**
 * Groups × characters per group of an enrolment code: 24 characters × 5 bits = 120 bits (at
 * least 100 asked; above NIST SP 800-63B's 112 for a look-up secret under a fast keyed hash),
 * in groups of four a registrar can read out and a patient can type from a printed slip.
 */
export const ENROLMENT_CODE_GROUPS = 6;
export const ENROLMENT_CODE_GROUP_LENGTH = 4;

/** `groups` groups of `length` uniform Crockford base32 characters, joined by dashes. */
function groupedCode(groups: number, length: number): string {
  const out: string[] = [];
  for (let g = 0; g < groups; g++) {
    let group = '';
    for (let i = 0; i < length; i++) group += CROCKFORD_ALPHABET[randomInt(32)]!;
    out.push(group);
  }
  return out.join('-');
}

/**
 * A one-time enrolment code handed over at registration, e.g. `7QKX-2M9D-4R0H-Z3TW-B1NE-4G8J`:
 * 120 bits from the CSPRNG. Store it only as a keyed verifier of its normalised form
 * ({@link normaliseRecoveryCode}; lookup-secret.ts).
 */
export function enrolmentCode(): string {
  return groupedCode(ENROLMENT_CODE_GROUPS, ENROLMENT_CODE_GROUP_LENGTH);
}

/**
 * The form of a recovery code that is hashed and compared: whitespace and dashes removed,
 * upper-cased, and Crockford's decoding aliases applied (I and L read as 1, O as 0), so a code
 * typed in lower case, without dashes or with a look-alike letter still matches. The result is
 * not validated; see {@link isRecoveryCode}.
 */
export function normaliseRecoveryCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** Whether a normalised code has the shape of a recovery code (25 Crockford base32 characters). */
export function isRecoveryCode(normalised: string): boolean {
  return RECOVERY_CODE_RE.test(normalised);
}

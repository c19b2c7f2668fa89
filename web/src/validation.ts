/**
 * Client-side checks for the forms. They give quick, specific feedback; the server checks
 * everything again and its answer is what counts.
 */

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../src/contract/vocabulary/credentials.js';

const SSN_PATTERN = /^\d{3}-\d{2}-\d{4}$/;
const PIN_PATTERN = /^\d{6}$/;

/** Accepts "123-45-6789", "123456789" or "123 45 6789"; returns ###-##-#### or the trimmed input. */
export function normaliseSsn(input: string): string {
  const trimmed = input.trim();
  const digits = trimmed.replace(/[\s-]/g, '');
  if (/^\d{9}$/.test(digits)) return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
  return trimmed;
}

export function ssnError(
  ssn: string,
  emptyMessage = 'Enter your Social Security number.',
): string | undefined {
  if (ssn.trim() === '') return emptyMessage;
  return SSN_PATTERN.test(normaliseSsn(ssn)) ? undefined : 'Enter the SSN as ###-##-#### (9 digits).';
}

export function pinError(pin: string, emptyMessage = 'Enter your PIN.'): string | undefined {
  if (pin === '') return emptyMessage;
  return PIN_PATTERN.test(pin) ? undefined : 'The PIN is exactly 6 digits.';
}

/** The repeat of a new PIN must be the same PIN. */
export function repeatPinError(repeat: string, pin: string): string | undefined {
  return repeat === pin ? undefined : 'The two PINs differ.';
}

/**
 * NIST SP 800-63B as the server applies it (src/crypto/password-policy.ts): length in code points
 * after NFC between the contract's bounds, no control characters, no composition rules, and not
 * the account's own identifiers (`identifiers`: username, name). The server also refuses common
 * passwords and patterns; its answer names which.
 */
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

export function newPasswordError(
  password: string,
  emptyMessage = 'Choose a password.',
  identifiers: readonly string[] = [],
): string | undefined {
  if (password === '') return emptyMessage;
  const nfc = password.normalize('NFC');
  if (/[\p{Cc}\p{Cs}]/u.test(nfc)) return 'Remove control characters such as tabs or line breaks.';
  const length = [...nfc].length;
  if (length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const forms = (value: string): string[] => {
    const lower = value.normalize('NFC').trim().toLowerCase();
    return [lower, lower.replace(/[^\p{L}\p{N}]+/gu, '')].filter((form) => [...form].length >= 3);
  };
  const typed = forms(nfc);
  if (identifiers.flatMap(forms).some((form) => typed.includes(form)))
    return 'Do not use your username or name as your password. Choose something unrelated.';
  return undefined;
}

/** A real calendar date as YYYY-MM-DD (what `<input type="date">` gives), not in the future. */
export function dateOfBirthError(value: string, today: Date = new Date()): string | undefined {
  if (value === '') return 'Enter the date of birth.';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return 'Enter the date as YYYY-MM-DD.';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return 'That date does not exist.';
  }
  if (year < 1900) return 'Enter a date after 1900.';
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return date.getTime() > todayUtc ? 'The date of birth cannot be in the future.' : undefined;
}

/** The server's rule for staff usernames. */
const USERNAME_PATTERN = /^[a-z0-9._@-]{3,64}$/;

export function usernameError(username: string): string | undefined {
  if (username.trim() === '') return 'Choose a username.';
  return USERNAME_PATTERN.test(username.trim())
    ? undefined
    : 'Use 3–64 lowercase letters, digits, or . _ @ -';
}

/** A public key as SPKI PEM ("BEGIN PUBLIC KEY"); the server checks the key itself. */
export function publicKeyPemError(pem: string): string | undefined {
  if (pem.trim() === '') return 'Paste or upload the public key.';
  if (/-----BEGIN (ENCRYPTED |RSA |EC |OPENSSH )?PRIVATE KEY-----/.test(pem)) {
    return 'This is a private key. Never share it: paste the public key ("BEGIN PUBLIC KEY") instead.';
  }
  return /-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/.test(pem)
    ? undefined
    : 'Expected an SPKI PEM public key ("-----BEGIN PUBLIC KEY-----").';
}

export function requiredError(value: string, message: string): string | undefined {
  return value.trim() === '' ? message : undefined;
}

/** Filled in and within the server's limit (in characters, as the server counts them). */
export function textError(value: string, max: number, emptyMessage: string): string | undefined {
  if (value.trim() === '') return emptyMessage;
  const length = [...value.trim()].length;
  return length > max
    ? `Use at most ${max.toLocaleString('en-US')} characters (this has ${length.toLocaleString('en-US')}).`
    : undefined;
}

/** Field name → message, only for fields that failed. */
export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function hasErrors<K extends string>(errors: FieldErrors<K>): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}

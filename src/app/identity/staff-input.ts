import { checkPassword } from '../../crypto/password-policy.js';
import {
  KeyFormatError,
  keyIdOf,
  parsePublicKeyPem,
  type SignatureAlgorithm,
} from '../../crypto/signature.js';
import { isStaffRole, type StaffRole } from '../actor.js';
import { invalidInput } from '../errors.js';

/** Usernames: 3–64 of a–z, 0–9, dot, underscore, at and hyphen (an e-mail address fits). */
export const USERNAME_PATTERN = '^[a-z0-9._@-]{3,64}$';
const USERNAME_RE = new RegExp(USERNAME_PATTERN);
export const MAX_DISPLAY_NAME_LENGTH = 128;

/**
 * The canonical form of a username typed at login: trimmed and lower-cased (accounts are created
 * lower-case only), or undefined when it cannot be a username at all.
 */
export function normaliseUsername(raw: string): string | undefined {
  const u = raw.trim().toLowerCase();
  return USERNAME_RE.test(u) ? u : undefined;
}

/** Checks a new account's username exactly as given (no silent case folding at creation). */
export function validUsername(raw: string): string {
  if (!USERNAME_RE.test(raw)) {
    throw invalidInput('username must be 3 to 64 characters of a-z, 0-9, ".", "_", "@" or "-".');
  }
  return raw;
}

export function validStaffRole(raw: string): StaffRole {
  if (!isStaffRole(raw)) throw invalidInput('role must be one of admin, registrar, doctor, pharmacist.');
  return raw;
}

/** A display name: trimmed, 1–128 characters, no control characters. */
export function validDisplayName(raw: string): string {
  const name = raw.trim().normalize('NFC');
  if (name.length === 0 || name.length > MAX_DISPLAY_NAME_LENGTH || /[\p{Cc}\p{Cs}]/u.test(name)) {
    throw invalidInput(`displayName must be 1 to ${MAX_DISPLAY_NAME_LENGTH} printable characters.`);
  }
  return name;
}

/** Applies the password policy (NIST SP 800-63B); the message says what to do instead. */
export function assertAcceptablePassword(password: string, context: readonly string[]): void {
  const check = checkPassword(password, context);
  if (!check.ok) throw invalidInput(check.reason, 'weak_password');
}

/** A public key accepted for registration, with its id. */
export interface AcceptedKey {
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly publicKeyPem: string;
  /** Standard base64 of the key's SPKI DER: what a key-add signature names it by. */
  readonly spkiBase64: string;
}

/**
 * Parses an uploaded SPKI PEM (RSA 2048–8192 bits or Ed25519) and derives its key id. The
 * stored PEM is re-encoded from the canonical DER, so one key has one text and one id.
 */
export function acceptPublicKey(pem: string): AcceptedKey {
  try {
    const parsed = parsePublicKeyPem(pem);
    const publicKeyPem = parsed.keyObject.export({ format: 'pem', type: 'spki' }).toString();
    return {
      keyId: keyIdOf(parsed.spkiDer),
      algorithm: parsed.algorithm,
      publicKeyPem,
      spkiBase64: parsed.spkiDer.toString('base64'),
    };
  } catch (err) {
    if (err instanceof KeyFormatError) throw invalidInput(`publicKeyPem: ${err.reason}.`, 'invalid_key');
    throw err;
  }
}

/** What a caller asks for: the public key they hold, or a pair made here. */
export type KeySource = { readonly publicKeyPem: string } | { readonly generate: 'ed25519' | 'rsa' };

export const algorithmFor = (choice: 'ed25519' | 'rsa'): SignatureAlgorithm =>
  choice === 'rsa' ? 'rsa-pkcs1-sha256' : 'ed25519';

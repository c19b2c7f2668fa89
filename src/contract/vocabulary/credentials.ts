/**
 * Credential rules the browser, the CLI and the server all apply. The password checks themselves
 * (common passwords, patterns) live in src/crypto/password-policy.ts; the bounds are here so a
 * form can say them before anything is sent.
 */

/**
 * Minimum password length in code points. NIST SP 800-63B-4 asks for 8 when the password is one
 * factor of several and 15 when it is the only one; every MedVault login pairs it with a PIN or a
 * signing key.
 */
export const MIN_PASSWORD_LENGTH = 12;
/** Maximum length in code points (NIST: at least 64 must be allowed). */
export const MAX_PASSWORD_LENGTH = 256;

/** Key types a staff member may register for login and signing. */
export const KEY_TYPES = ['ed25519', 'rsa'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** Longest staff display name, in characters (the form shows it; the schema enforces it). */
export const MAX_DISPLAY_NAME_LENGTH = 128;

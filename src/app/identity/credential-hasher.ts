import {
  DEFAULT_ARGON2_PARAMS,
  dummyVerify,
  hashSecret,
  verifySecret,
  type Argon2Params,
  type Pepper,
  type PepperLookup,
  type SecretPurpose,
  type VerifyResult,
} from '../../crypto/password-hash.js';
import { lookupSecretVerifier, verifyLookupSecret } from '../../crypto/lookup-secret.js';
import type { Keyring } from '../keyring.js';

/** Name of the keyring secret that keys every credential verifier. */
export const PEPPER_SECRET = 'pepper';
/** The pepper version new verifiers name; the keyring holds one pepper today. */
export const PEPPER_VERSION = 1;

/** The keyring holds one pepper today: a verifier naming any other version does not verify. */
const onlyPepper =
  (pepper: Pepper): PepperLookup =>
  (version) =>
    version === pepper.version ? pepper.key : undefined;

/**
 * Hashes and checks credentials with the keyring's pepper, so the verifiers in the database
 * cannot be attacked offline without the master key: passwords and PINs (chosen by people) with
 * argon2id; codes we generate with 125 bits of entropy (recovery codes) with a keyed HMAC bound
 * to their row (lookup-secret.ts says why no slow hash). One place fixes the pepper and the cost
 * parameters for every service.
 */
export class CredentialHasher {
  constructor(
    private readonly keyring: Keyring,
    /** Production keeps the defaults (ASVS 5.0 minimum); tests and benchmarks may lower them. */
    private readonly params: Argon2Params = DEFAULT_ARGON2_PARAMS,
  ) {}

  private async pepper(): Promise<Pepper> {
    return { version: PEPPER_VERSION, key: await this.keyring.secret(PEPPER_SECRET) };
  }

  /** A new verifier for `secret` (argon2id, fresh salt, current pepper). */
  async hash(secret: string, purpose: SecretPurpose): Promise<string> {
    return hashSecret(secret, purpose, await this.pepper(), this.params);
  }

  /** Checks `secret`; `needsRehash` asks the caller to store a fresh verifier after success. */
  async verify(stored: string, secret: string, purpose: SecretPurpose): Promise<VerifyResult> {
    const pepper = await this.pepper();
    return verifySecret(stored, secret, purpose, onlyPepper(pepper), {
      pepperVersion: pepper.version,
      params: this.params,
    });
  }

  /** The verifier of a generated high-entropy code (normalised), bound to `context` (its row). */
  async codeVerifier(code: string, context: string): Promise<string> {
    return lookupSecretVerifier(code, context, await this.pepper());
  }

  /** Whether `code` matches a verifier from {@link codeVerifier} for the same context. */
  async verifyCode(stored: string, code: string, context: string): Promise<boolean> {
    const pepper = await this.pepper();
    return verifyLookupSecret(stored, code, context, onlyPepper(pepper));
  }

  /** The work of a real check, always failing: for accounts that do not exist (no timing oracle). */
  async dummy(purpose: SecretPurpose): Promise<void> {
    await dummyVerify(purpose, await this.pepper(), this.params);
  }
}

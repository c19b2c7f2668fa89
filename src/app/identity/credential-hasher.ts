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
import { AppError } from '../errors.js';
import type { HashPool, HashTicket } from './hash-pool.js';

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
 * parameters for every service, and every argon2id run goes through one bounded {@link HashPool}.
 *
 * Callers that check credentials for an unauthenticated request {@link admit} every hash the
 * attempt may run before doing anything else, and pass the ticket; other callers (registration,
 * password changes) pass none and are admitted one hash at a time.
 */
export class CredentialHasher {
  constructor(
    private readonly keyring: Keyring,
    private readonly pool: HashPool,
    /** Production keeps the defaults (ASVS 5.0 minimum); tests and benchmarks may lower them. */
    private readonly params: Argon2Params = DEFAULT_ARGON2_PARAMS,
  ) {}

  /**
   * Reserves `hashes` argon2id runs for one attempt; call before anything is read or counted.
   * @throws AppError credential_queue_full (503, Retry-After) when the queue is full.
   */
  admit(hashes: number): HashTicket {
    return this.pool.admit(hashes);
  }

  /** One hash on the attempt's ticket, or admitted on its own. */
  private async run<T>(ticket: HashTicket | undefined, work: () => Promise<T>): Promise<T> {
    if (ticket !== undefined) return ticket.run(work);
    const own = this.pool.admit(1);
    try {
      return await own.run(work);
    } finally {
      own.release();
    }
  }

  private async pepper(): Promise<Pepper> {
    return { version: PEPPER_VERSION, key: await this.keyring.secret(PEPPER_SECRET) };
  }

  /** A new verifier for `secret` (argon2id, fresh salt, current pepper). */
  async hash(secret: string, purpose: SecretPurpose, ticket?: HashTicket): Promise<string> {
    const pepper = await this.pepper();
    return this.run(ticket, () => hashSecret(secret, purpose, pepper, this.params));
  }

  /**
   * A fresh verifier to upgrade a weaker one after a good login, or undefined when the pool has
   * no room now: the upgrade waits for a later login rather than failing this one.
   */
  async upgrade(secret: string, purpose: SecretPurpose): Promise<string | undefined> {
    try {
      return await this.hash(secret, purpose);
    } catch (err) {
      if (err instanceof AppError && err.code === 'credential_queue_full') return undefined;
      throw err;
    }
  }

  /** Checks `secret`; `needsRehash` asks the caller to store a fresh verifier after success. */
  async verify(
    stored: string,
    secret: string,
    purpose: SecretPurpose,
    ticket?: HashTicket,
  ): Promise<VerifyResult> {
    const pepper = await this.pepper();
    return this.run(ticket, () =>
      verifySecret(stored, secret, purpose, onlyPepper(pepper), {
        pepperVersion: pepper.version,
        params: this.params,
      }),
    );
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
  async dummy(purpose: SecretPurpose, ticket?: HashTicket): Promise<void> {
    const pepper = await this.pepper();
    await this.run(ticket, () => dummyVerify(purpose, pepper, this.params));
  }
}

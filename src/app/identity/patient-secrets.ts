import { createHash, timingSafeEqual } from 'node:crypto';
import { normaliseSsn, ssnBlindIndex } from '../../crypto/blind-index.js';
import { normaliseRecoveryCode } from '../../crypto/random-token.js';
import type { SecretPurpose, VerifyResult } from '../../crypto/password-hash.js';
import { AppError, invalidInput, loginFailed } from '../errors.js';
import type { Keyring } from '../keyring.js';
import type { CredentialHasher } from './credential-hasher.js';
import type { HashTicket } from './hash-pool.js';

/** Name of the keyring secret that keys the SSN blind index. */
export const SSN_INDEX_SECRET = 'ssn-index';

/**
 * The one answer for any failed patient login, PIN recovery or PIN reset. Why one: telling the
 * caller which factor was wrong (or that the SSN is unknown) would let them guess factors one at a
 * time and learn who is registered.
 */
export function credentialsRejected(): AppError {
  return loginFailed('The details given do not match our records.');
}

/**
 * Patient credential work: the SSN blind index, the peppered argon2id verifiers of PIN and
 * password (an unknown account costing the same as a known one) and the recovery code's keyed
 * HMAC, all through the shared {@link CredentialHasher}.
 */
export class PatientSecrets {
  constructor(
    private readonly keyring: Keyring,
    private readonly hasher: CredentialHasher,
  ) {}

  /**
   * The blind index of an SSN (HMAC under the keyring's 'ssn-index' secret).
   * @throws AppError invalid_input when the SSN is not ###-##-####.
   */
  async ssnIndex(ssn: string): Promise<Buffer> {
    const canonical = normaliseSsn(ssn);
    if (canonical === null) throw invalidInput('The SSN must have the form ###-##-####.');
    return ssnBlindIndex(canonical, await this.keyring.secret(SSN_INDEX_SECRET));
  }

  /**
   * Reserves the argon2id runs of one attempt (login, recovery, reset) before it reads or counts
   * anything; release the ticket in a `finally`.
   * @throws AppError credential_queue_full (503, Retry-After) when the hashing queue is full.
   */
  admit(hashes: number): HashTicket {
    return this.hasher.admit(hashes);
  }

  /** A new verifier for `secret` (on the attempt's ticket when given). */
  hash(secret: string, purpose: SecretPurpose, ticket?: HashTicket): Promise<string> {
    return this.hasher.hash(secret, purpose, ticket);
  }

  /** A fresh verifier after a good login, or undefined when the hashing queue has no room now. */
  upgrade(secret: string, purpose: SecretPurpose): Promise<string | undefined> {
    return this.hasher.upgrade(secret, purpose);
  }

  /** The verifier of a patient's recovery code (keyed HMAC bound to the patient: lookup-secret.ts). */
  recoveryVerifier(patientId: string, code: string): Promise<string> {
    return this.hasher.codeVerifier(normaliseRecoveryCode(code), recoveryContext(patientId));
  }

  /** The verifier of a patient's enrolment code (keyed HMAC bound to the patient, like the recovery code's). */
  enrolmentVerifier(patientId: string, code: string): Promise<string> {
    return this.hasher.codeVerifier(normaliseRecoveryCode(code), enrolmentContext(patientId));
  }

  /**
   * Whether `code` is the enrolment code stored as `stored` for the patient. With no patient or
   * no code stored it still computes one HMAC and fails (microseconds either way).
   */
  async enrolmentCodeMatches(
    patientId: string | undefined,
    stored: string | undefined,
    code: string,
  ): Promise<boolean> {
    if (patientId === undefined || stored === undefined) {
      await this.hasher.codeVerifier(normaliseRecoveryCode(code), enrolmentContext('none'));
      return false;
    }
    return this.hasher.verifyCode(stored, normaliseRecoveryCode(code), enrolmentContext(patientId));
  }

  /** Whether `code` is the patient's current recovery code (false with no patient: microseconds either way). */
  async recoveryCodeMatches(
    patient: { id: string; recoveryHash: string } | undefined,
    code: string,
  ): Promise<boolean> {
    if (patient === undefined) return false;
    return this.hasher.verifyCode(
      patient.recoveryHash,
      normaliseRecoveryCode(code),
      recoveryContext(patient.id),
    );
  }

  /**
   * Checks `secret` against `stored`; with no stored verifier (unknown SSN) it does the same
   * argon2 work against a random one and fails, so timing does not reveal whether the account
   * exists.
   */
  async verify(
    stored: string | undefined,
    secret: string,
    purpose: SecretPurpose,
    ticket?: HashTicket,
  ): Promise<VerifyResult> {
    if (stored === undefined) {
      await this.hasher.dummy(purpose, ticket);
      return { ok: false, needsRehash: false };
    }
    return this.hasher.verify(stored, secret, purpose, ticket);
  }
}

const recoveryContext = (patientId: string): string => `recovery-code:${patientId}`;
const enrolmentContext = (patientId: string): string => `enrolment-code:${patientId}`;

/** Lockout account key for an SSN: its blind index, so unknown SSNs lock exactly like known ones. */
export function lockoutAccount(ssnIndex: Buffer): string {
  return ssnIndex.toString('hex');
}

/** Constant-time string equality (hashing first so lengths never leak through the compare). */
export function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

const PIN_RE = /^[0-9]{6}$/;

/** @throws AppError invalid_input unless the PIN is exactly six ASCII digits. */
export function assertPin(pin: string, field = 'pin'): void {
  if (!PIN_RE.test(pin)) throw invalidInput(`The ${field} must be exactly 6 digits.`);
}

const DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const EARLIEST_BIRTH_YEAR = 1900;

/**
 * A date of birth as the canonical `YYYY-MM-DD` string: a real calendar date (no 31 February),
 * not in the future, not before 1900.
 * @throws AppError invalid_input otherwise.
 */
export function parseDateOfBirth(input: string, now: number): string {
  const match = DATE_RE.exec(input);
  const bad = (): AppError => invalidInput('The date of birth must be a real past date, YYYY-MM-DD.');
  if (match === null) throw bad();
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = Date.UTC(year, month - 1, day);
  const d = new Date(at);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) throw bad();
  if (year < EARLIEST_BIRTH_YEAR || at > now) throw bad();
  return input;
}

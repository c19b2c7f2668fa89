import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { randomUUID } from 'node:crypto';
import type { EnvelopeContext } from '../../crypto/envelope.js';
import { base32Encode, matchTotp, newTotpSecret, totpUri } from '../../crypto/totp.js';
import { withTransaction, type DbOrTx } from '../../store/database.js';
import {
  acceptTotpStep,
  consumeWebauthnChallenge,
  deleteExpiredWebauthnChallenges,
  deleteSecondFactor,
  deleteUnconfirmedTotp,
  findSecondFactor,
  insertSecondFactor,
  insertWebauthnChallenge,
  listSecondFactors,
  type SecondFactorRow,
} from '../../store/second-factor-repository.js';
import { isUniqueViolation } from '../../store/unique-violation.js';
import { findUserById } from '../../store/user-repository.js';
import type { SecondFactorKind, SecondFactorPolicy } from '../../contract/vocabulary/second-factors.js';
import { selfPatientId } from '../access/index.js';
import type { Actor, Role } from '../actor.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import { AppError, notFound } from '../errors.js';
import type { DataKeys } from '../data-keys.js';
import {
  authenticationOptions,
  registrationOptions,
  relyingParty,
  verifyAssertion,
  verifyRegistration,
  WEBAUTHN_TIMEOUT_MS,
  type AssertionCheck,
  type CreationOptions,
  type RequestOptions,
} from './passkeys.js';

/** The issuer authenticator apps show next to the code. */
export const TOTP_ISSUER = 'MedVault';
/** Longest label of a factor. */
export const MAX_FACTOR_LABEL = 64;

export interface SecondFactorDeps extends LedgeredServiceDeps {
  readonly dataKeys: DataKeys;
  /** The policy in force per role (configured default, or as an approved request changed it). */
  readonly policy: { of(role: Role, db?: DbOrTx): Promise<SecondFactorPolicy> };
}

/** A factor as its owner sees it: never its secret or key. */
export interface FactorView {
  readonly id: string;
  readonly kind: SecondFactorKind;
  readonly label: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** A TOTP factor being added: its secret shown once, to be confirmed with a first code. */
export interface TotpSetup {
  readonly factorId: string;
  /** RFC 4648 base32, for typing into an app. */
  readonly secret: string;
  /** otpauth://totp/… for a QR code. */
  readonly uri: string;
}

export const toView = (f: SecondFactorRow): FactorView => ({
  id: f.id,
  kind: f.kind,
  label: f.label,
  createdAt: f.createdAt,
  lastUsedAt: f.lastUsedAt,
});

/** Where a TOTP secret is sealed: its own row (and, for a patient, bound to them). */
const secretContext = (factorId: string, actor: Actor): EnvelopeContext => ({
  table: 'second_factors',
  rowId: factorId,
  patientId: selfPatientId(actor),
  field: 'secret',
});

/** A TOTP code's check: the matched factor and step, or why none. */
export type TotpCheck =
  { ok: true; factor: SecondFactorRow; step: number } | { ok: false; reason: 'totp' | 'totp_replay' };

/**
 * Adding, checking and removing a user's second factors, for a given actor: the signed-in user
 * (through {@link SecondFactors}) or a sign-in that must enrol one first (through the login's
 * pending token). Every change is a ledger entry, about the patient when the user is one (their
 * access history shows it).
 */
export class FactorEnrolment {
  constructor(readonly deps: SecondFactorDeps) {}

  policyOf(actor: Actor, db?: DbOrTx): Promise<SecondFactorPolicy> {
    return this.deps.policy.of(actor.role, db);
  }

  /** Passkeys must verify the user (PIN, biometrics) where the role's policy requires a factor. */
  async requireUv(actor: Actor): Promise<boolean> {
    return (await this.policyOf(actor)) === 'required';
  }

  private async assertEnabled(actor: Actor): Promise<void> {
    if ((await this.policyOf(actor)) === 'off') throw new AppError('second_factors_off');
  }

  async list(actor: Actor): Promise<FactorView[]> {
    const rows = await listSecondFactors(this.deps.db, actor.userId);
    return rows.filter((f) => f.confirmedAt !== null).map(toView);
  }

  /** A new TOTP secret (20 random bytes), sealed, awaiting its first code; replaces an unconfirmed one. */
  async beginTotp(actor: Actor, label = 'Authenticator app'): Promise<TotpSetup> {
    await this.assertEnabled(actor);
    const { db, dataKeys, clock } = this.deps;
    const secret = newTotpSecret();
    const factorId = randomUUID();
    const user = await findUserById(db, actor.userId);
    await withTransaction(db, async (tx) => {
      await deleteUnconfirmedTotp(tx, actor.userId);
      await insertSecondFactor(tx, {
        id: factorId,
        userId: actor.userId,
        kind: 'totp',
        label: label.slice(0, MAX_FACTOR_LABEL),
        secretCt: await dataKeys.seal(tx, secretContext(factorId, actor), secret),
        credentialId: null,
        publicKey: null,
        signCount: null,
        transports: null,
        createdAt: clock(),
        confirmedAt: null,
      });
    });
    // The account name an app shows: the staff username; never a patient's name or SSN.
    const account = user?.username ?? 'patient';
    return { factorId, secret: base32Encode(secret), uri: totpUri(secret, TOTP_ISSUER, account) };
  }

  /**
   * Confirms a TOTP factor being added with a first good code; it is usable from now on.
   * @throws AppError not_found (no such unconfirmed factor of this user), invalid_second_factor.
   */
  async confirmTotp(actor: Actor, factorId: string, code: string, tx?: DbOrTx): Promise<FactorView> {
    await this.assertEnabled(actor);
    const db = tx ?? this.deps.db;
    const factor = await findSecondFactor(db, actor.userId, factorId);
    if (factor === undefined || factor.kind !== 'totp' || factor.confirmedAt !== null)
      throw notFound('factor being added');
    const check = await this.checkTotp(db, actor, [factor], code);
    const now = this.deps.clock();
    if (!check.ok || !(await acceptTotpStep(db, factor.id, check.step, now, true)))
      throw new AppError('invalid_second_factor');
    await withTransaction(this.deps.db, (t) => this.record(t, actor, 'factor.add', factor.id, 'totp'));
    return toView({ ...factor, confirmedAt: now });
  }

  /** The factor among `factors` whose code `code` is now (±1 step), unless that step was used. */
  async checkTotp(
    db: DbOrTx,
    actor: Actor,
    factors: readonly SecondFactorRow[],
    code: string,
  ): Promise<TotpCheck> {
    const now = this.deps.clock();
    let replay = false;
    for (const factor of factors) {
      if (factor.kind !== 'totp' || factor.secretCt === null) continue;
      const secret = await this.deps.dataKeys.open(db, secretContext(factor.id, actor), factor.secretCt);
      const step = matchTotp(secret, code, now);
      if (step === undefined) continue;
      if (factor.lastStep !== null && step <= factor.lastStep) {
        replay = true;
        continue;
      }
      return { ok: true, factor, step };
    }
    return { ok: false, reason: replay ? 'totp_replay' : 'totp' };
  }

  /** Options for registering a passkey; the challenge is stored, single use, two minutes. */
  async passkeyRegistration(actor: Actor, origin: string): Promise<CreationOptions> {
    await this.assertEnabled(actor);
    const { db, clock } = this.deps;
    const user = await findUserById(db, actor.userId);
    const existing = (await listSecondFactors(db, actor.userId)).filter((f) => f.kind === 'passkey');
    const options = await registrationOptions(
      relyingParty(origin),
      { id: actor.userId, name: user?.username ?? `patient-${actor.userId.slice(0, 8)}` },
      existing,
      await this.requireUv(actor),
    );
    await this.storeChallenge(actor, options.challenge, 'register', clock());
    return options;
  }

  /**
   * Registers a passkey from the browser's answer to {@link passkeyRegistration}.
   * @throws AppError invalid_second_factor when it does not verify (challenge used, expired or
   *   another user's; wrong origin; no user verification where required).
   */
  async registerPasskey(
    actor: Actor,
    origin: string,
    response: RegistrationResponseJSON,
    label = 'Passkey',
  ): Promise<FactorView> {
    await this.assertEnabled(actor);
    const { db, clock } = this.deps;
    const verified = await verifyRegistration(
      relyingParty(origin),
      response,
      (challenge) => this.consumeChallenge(actor, challenge, 'register'),
      await this.requireUv(actor),
    );
    if (verified === undefined) throw new AppError('invalid_second_factor');
    const now = clock();
    const row = {
      id: randomUUID(),
      userId: actor.userId,
      kind: 'passkey' as const,
      label: label.slice(0, MAX_FACTOR_LABEL),
      secretCt: null,
      credentialId: verified.credentialId,
      publicKey: verified.publicKey,
      signCount: verified.signCount,
      transports: JSON.stringify(verified.transports),
      createdAt: now,
      confirmedAt: now,
    };
    await withTransaction(db, async (tx) => {
      await insertSecondFactor(tx, row);
      await this.record(tx, actor, 'factor.add', row.id, 'passkey');
    }).catch((err: unknown) => {
      // The same credential registered twice (the unique credential id).
      throw isUniqueViolation(err) ? new AppError('invalid_second_factor') : err;
    });
    return toView({ ...row, lastStep: null, lastUsedAt: null });
  }

  /** Options for signing in with one of the user's passkeys. */
  async passkeyAssertion(actor: Actor, origin: string): Promise<RequestOptions> {
    const passkeys = (await listSecondFactors(this.deps.db, actor.userId)).filter(
      (f) => f.kind === 'passkey',
    );
    const options = await authenticationOptions(relyingParty(origin), passkeys, await this.requireUv(actor));
    await this.storeChallenge(actor, options.challenge, 'authenticate', this.deps.clock());
    return options;
  }

  /** Checks an assertion by one of the user's passkeys (the challenge consumed). */
  async checkAssertion(
    actor: Actor,
    origin: string,
    response: AuthenticationResponseJSON,
  ): Promise<AssertionCheck & { factor?: SecondFactorRow }> {
    const factor = (await listSecondFactors(this.deps.db, actor.userId)).find(
      (f) => f.kind === 'passkey' && f.credentialId === response.id,
    );
    if (factor === undefined) return { ok: false, reason: 'passkey' };
    const check = await verifyAssertion(
      relyingParty(origin),
      response,
      factor,
      (challenge) => this.consumeChallenge(actor, challenge, 'authenticate'),
      await this.requireUv(actor),
    );
    return { ...check, factor };
  }

  /**
   * Removes a factor of the user.
   * @throws AppError not_found, last_second_factor (the policy requires one and it is the last).
   */
  async remove(actor: Actor, factorId: string): Promise<void> {
    await withTransaction(this.deps.db, async (tx) => {
      const factors = (await listSecondFactors(tx, actor.userId)).filter((f) => f.confirmedAt !== null);
      const factor = factors.find((f) => f.id === factorId);
      if (factor === undefined) throw notFound('factor');
      if ((await this.policyOf(actor, tx)) === 'required' && factors.length === 1)
        throw new AppError('last_second_factor');
      await deleteSecondFactor(tx, actor.userId, factorId);
      await this.record(tx, actor, 'factor.remove', factor.id, factor.kind);
    });
  }

  private async storeChallenge(
    actor: Actor,
    challenge: string,
    purpose: 'register' | 'authenticate',
    now: number,
  ): Promise<void> {
    await withTransaction(this.deps.db, async (tx) => {
      await deleteExpiredWebauthnChallenges(tx, now);
      await insertWebauthnChallenge(tx, {
        challenge,
        userId: actor.userId,
        purpose,
        expiresAt: now + WEBAUTHN_TIMEOUT_MS,
      });
    });
  }

  private consumeChallenge(
    actor: Actor,
    challenge: string,
    purpose: 'register' | 'authenticate',
  ): Promise<boolean> {
    return consumeWebauthnChallenge(
      this.deps.db,
      { challenge, userId: actor.userId, purpose },
      this.deps.clock(),
    );
  }

  /** A factor change in the ledger: by the user, about the user (and the patient, for patients). */
  async record(
    tx: DbOrTx,
    actor: Actor,
    action: 'factor.add' | 'factor.remove',
    factorId: string,
    kind: SecondFactorKind,
  ): Promise<void> {
    await this.deps.audit.append(tx, {
      actor,
      action,
      target: { type: 'user', id: actor.userId },
      patientId: selfPatientId(actor),
      outcome: 'success',
      details: { kind, factorId },
    });
  }
}

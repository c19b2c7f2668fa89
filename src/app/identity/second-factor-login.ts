import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { hashToken, randomToken } from '../../crypto/random-token.js';
import { withTransaction, type DbOrTx } from '../../store/database.js';
import {
  acceptPasskeyCounter,
  acceptTotpStep,
  deleteExpiredPending,
  findPending,
  insertPending,
  listSecondFactors,
  usePending,
  type PendingRow,
} from '../../store/second-factor-repository.js';
import { findUserById } from '../../store/user-repository.js';
import type { SecondFactorKind } from '../../contract/vocabulary/second-factors.js';
import { selfPatientId } from '../access/index.js';
import { isRole, type Actor, type Role } from '../actor.js';
import { AppError, loginFailed } from '../errors.js';
import type { FactorEnrolment, TotpSetup } from './factor-enrolment.js';
import type { Lockout } from './lockout.js';
import type { CreationOptions, RequestOptions } from './passkeys.js';
import type { Sessions } from './sessions.js';

/** How long the first factor(s) stay good for the second (and for enrolling one under `required`). */
export const PENDING_TTL_MS = 5 * 60_000;

/** A login that passed its first factor(s) and needs a second (or must enrol one). */
export interface SecondFactorNeeded {
  readonly secondFactor: {
    /** Opaque, single use, for the second step's routes only (it opens no session). */
    readonly pendingToken: string;
    readonly expiresAt: number;
    /** `verify`: prove one of `methods`; `enrol`: the policy requires a factor, add one now. */
    readonly stage: 'verify' | 'enrol';
    readonly methods: readonly SecondFactorKind[];
  };
}

/** A completed sign-in: the session and who it is for. */
export interface CompletedLogin {
  readonly token: string;
  readonly expiresAt: number;
  readonly user: {
    readonly id: string;
    readonly role: Role;
    readonly username: string | null;
    readonly displayName: string | null;
  };
}

export interface SecondFactorLoginDeps {
  readonly sessions: Sessions;
  /** Wrong second factors count where the first factor's failures do: per staff account, per patient SSN. */
  readonly lockouts: { readonly staff: Lockout; readonly patient: Lockout };
}

interface Pending extends PendingRow {
  readonly tokenHash: Buffer;
  readonly actor: Actor;
}

/**
 * The second step of every sign-in. After the first factor(s) the login asks {@link begin}: under
 * the role's policy a user with a factor (or, under `required`, without one) gets a short-lived
 * pending token instead of a session; this class turns it into a session once a TOTP code or a
 * passkey assertion verifies, or once a factor is enrolled. Until then the token is good for
 * nothing else: it is not a session, so no other route accepts it.
 *
 * Wrong codes count toward the lockout of the first factor (the attempt is reserved before
 * checking, like the first factor's), so knowing the password buys at most the lockout's few
 * guesses at a 6-digit code; a locked account is refused (429) even with the right code.
 */
export class SecondFactorLogin {
  constructor(
    private readonly core: FactorEnrolment,
    private readonly deps: SecondFactorLoginDeps,
  ) {}

  /**
   * After the first factor(s) of `actor` succeeded: undefined when no second factor applies (the
   * login opens its session as before), else the pending token. `lockoutKey` is the first
   * factor's lockout counter (not cleared yet: only a completed sign-in clears it).
   */
  async begin(tx: DbOrTx, actor: Actor, lockoutKey: string): Promise<SecondFactorNeeded | undefined> {
    const policy = await this.core.policyOf(actor, tx);
    if (policy === 'off') return undefined;
    const factors = (await listSecondFactors(tx, actor.userId)).filter((f) => f.confirmedAt !== null);
    if (factors.length === 0 && policy !== 'required') return undefined;
    const stage = factors.length === 0 ? 'enrol' : 'verify';
    const methods: SecondFactorKind[] =
      stage === 'enrol' ? ['totp', 'passkey'] : [...new Set(factors.map((f) => f.kind))].sort();
    const now = this.core.deps.clock();
    const pendingToken = randomToken(32);
    const expiresAt = now + PENDING_TTL_MS;
    await deleteExpiredPending(tx, now);
    await insertPending(tx, {
      tokenHash: hashToken(pendingToken),
      userId: actor.userId,
      role: actor.role,
      stage,
      lockoutKey,
      createdAt: now,
      expiresAt,
    });
    await this.core.deps.audit.append(tx, {
      actor: null,
      action: 'login.factor_pending',
      target: { type: 'user', id: actor.userId },
      patientId: selfPatientId(actor),
      outcome: 'success',
      details: { method: methodOf(actor), stage },
    });
    return { secondFactor: { pendingToken, expiresAt, stage, methods } };
  }

  /**
   * Completes a sign-in with a TOTP code of one of the user's factors.
   * @throws AppError login_failed (wrong, replayed or unknown; the pending token unknown, used or
   *   expired), rate_limited while the account is locked.
   */
  async totp(pendingToken: string, code: string): Promise<CompletedLogin> {
    const pending = await this.pending(pendingToken, 'verify');
    await this.reserve(pending);
    const factors = (await listSecondFactors(this.core.deps.db, pending.userId)).filter(
      (f) => f.confirmedAt !== null,
    );
    const check = await this.core.checkTotp(this.core.deps.db, pending.actor, factors, code);
    if (!check.ok) return this.fail(pending, check.reason);
    // Conditional on the step: of two concurrent uses of one code, one wins.
    if (
      !(await acceptTotpStep(this.core.deps.db, check.factor.id, check.step, this.core.deps.clock(), false))
    )
      return this.fail(pending, 'totp_replay');
    return this.complete(pending, 'totp');
  }

  /** Options for the browser to sign in with one of the user's passkeys. */
  async passkeyOptions(pendingToken: string, origin: string): Promise<RequestOptions> {
    const pending = await this.pending(pendingToken, 'verify');
    return this.core.passkeyAssertion(pending.actor, origin);
  }

  /**
   * Completes a sign-in with a passkey assertion.
   * @throws AppError login_failed (bad signature, challenge used or expired, no user verification
   *   where required, a signature counter that went back), rate_limited while locked.
   */
  async passkey(
    pendingToken: string,
    origin: string,
    response: AuthenticationResponseJSON,
  ): Promise<CompletedLogin> {
    const pending = await this.pending(pendingToken, 'verify');
    await this.reserve(pending);
    const check = await this.core.checkAssertion(pending.actor, origin, response);
    if (!check.ok || check.factor === undefined)
      return this.fail(pending, check.ok ? 'passkey' : check.reason);
    const { factor } = check;
    const moved = await acceptPasskeyCounter(
      this.core.deps.db,
      factor.id,
      factor.signCount ?? 0,
      check.newCounter,
      this.core.deps.clock(),
    );
    if (!moved) return this.fail(pending, 'passkey_counter');
    return this.complete(pending, 'passkey');
  }

  /** Under `required`, a user without a factor starts adding a TOTP app (pending token `enrol`). */
  async enrolTotp(pendingToken: string): Promise<TotpSetup> {
    const pending = await this.pending(pendingToken, 'enrol');
    return this.core.beginTotp(pending.actor);
  }

  /** …confirms it with a first code, which completes the sign-in. */
  async confirmEnrolTotp(pendingToken: string, factorId: string, code: string): Promise<CompletedLogin> {
    const pending = await this.pending(pendingToken, 'enrol');
    await this.core.confirmTotp(pending.actor, factorId, code);
    return this.complete(pending, 'totp');
  }

  /** Under `required`, a user without a factor starts adding a passkey. */
  async enrolPasskeyOptions(pendingToken: string, origin: string): Promise<CreationOptions> {
    const pending = await this.pending(pendingToken, 'enrol');
    return this.core.passkeyRegistration(pending.actor, origin);
  }

  /** …registers it, which completes the sign-in. */
  async enrolPasskey(
    pendingToken: string,
    origin: string,
    response: RegistrationResponseJSON,
  ): Promise<CompletedLogin> {
    const pending = await this.pending(pendingToken, 'enrol');
    await this.core.registerPasskey(pending.actor, origin, response);
    return this.complete(pending, 'passkey');
  }

  /** The live pending login of a token at `stage`, or the generic 401. */
  private async pending(pendingToken: string, stage: 'verify' | 'enrol'): Promise<Pending> {
    const tokenHash = hashToken(pendingToken);
    const row = await findPending(this.core.deps.db, tokenHash, this.core.deps.clock());
    if (row === undefined || row.stage !== stage || !isRole(row.role)) throw loginFailed();
    return { ...row, tokenHash, actor: { userId: row.userId, role: row.role } };
  }

  private limiter(pending: Pending): Lockout {
    return selfPatientId(pending.actor) === null ? this.deps.lockouts.staff : this.deps.lockouts.patient;
  }

  /** Reserves one attempt on the first factor's counter (429 while locked). */
  private reserve(pending: Pending): Promise<void> {
    return this.limiter(pending).assertOpen(this.core.deps.db, pending.lockoutKey);
  }

  /** Counts a wrong second factor (committed), writes the ledger, throws the generic 401. */
  private async fail(pending: Pending, reason: string): Promise<never> {
    const { actor } = pending;
    await withTransaction(this.core.deps.db, async (tx) => {
      const result = await this.limiter(pending).recordFailure(tx, pending.lockoutKey);
      const target = { type: 'user', id: actor.userId };
      const patientId = selfPatientId(actor);
      await this.core.deps.audit.append(tx, {
        actor: null,
        action: 'login.failure',
        target,
        patientId,
        outcome: 'failure',
        details: { method: methodOf(actor), reasons: [reason] },
      });
      if (result.locked)
        await this.core.deps.audit.append(tx, {
          actor: null,
          action: 'account.locked',
          target,
          patientId,
          outcome: 'denied',
          details: { method: methodOf(actor), retryAfterSeconds: result.retryAfterSeconds },
        });
    });
    throw loginFailed();
  }

  /** Uses the pending token (once), clears the lockout and opens the session. */
  private async complete(pending: Pending, kind: SecondFactorKind): Promise<CompletedLogin> {
    const { db, clock, audit } = this.core.deps;
    const { actor } = pending;
    const user = await findUserById(db, actor.userId);
    if (user === undefined || user.status !== 'active') throw loginFailed();
    return withTransaction(db, async (tx) => {
      if (!(await usePending(tx, pending.tokenHash, clock()))) throw loginFailed();
      await this.limiter(pending).recordSuccess(tx, pending.lockoutKey);
      const session = await this.deps.sessions.create(tx, actor);
      await audit.append(tx, {
        actor,
        action: 'login.success',
        target: { type: selfPatientId(actor) === null ? 'user' : 'patient', id: actor.userId },
        patientId: selfPatientId(actor),
        outcome: 'success',
        details: { method: methodOf(actor), secondFactor: kind },
      });
      return {
        token: session.token,
        expiresAt: session.expiresAt,
        user: {
          id: user.id,
          role: actor.role,
          username: user.username,
          displayName: user.displayName,
        },
      };
    });
  }
}

const methodOf = (actor: Actor): 'patient' | 'staff' => (selfPatientId(actor) === null ? 'staff' : 'patient');

/** What a caller that cannot answer a second factor gets (tools, the CLI). */
export const secondFactorNeededError = (): AppError => new AppError('second_factor_needed');

import { randomChallenge, randomToken } from '../../crypto/random-token.js';
import { SIGNATURE_ALGORITHMS, parsePublicKeyPem, verifySignature } from '../../crypto/signature.js';
import {
  consumeChallenge,
  deleteExpiredChallenges,
  insertChallenge,
} from '../../store/challenge-repository.js';
import { withTransaction, type Db, type DbOrTx } from '../../store/database.js';
import { activeStaffKeys, type StaffKeyRow } from '../../store/staff-key-repository.js';
import {
  findStaffCredentials,
  setUserPasswordHash,
  type StaffCredentialRow,
} from '../../store/user-repository.js';
import { isStaffRole, type StaffRole } from '../actor.js';
import { invalidInput, loginFailed } from '../errors.js';
import type { CredentialHasher } from './credential-hasher.js';
import type { Lockout } from './lockout.js';
import type { Sessions } from './sessions.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { normaliseUsername } from './staff-input.js';

/** How long a login challenge may be answered (issue 4: two minutes). */
export const CHALLENGE_TTL_MS = 2 * 60_000;

/** The one answer to every failed login, whichever factor was wrong (no oracle). */
export { loginFailed };

export interface StaffChallenge {
  readonly challengeId: string;
  /** Sign the UTF-8 bytes of exactly this string. */
  readonly challenge: string;
  readonly expiresAt: number;
}

export interface StaffLoginInput {
  readonly username: string;
  readonly password: string;
  readonly challengeId: string;
  /** Standard base64 signature over the challenge's UTF-8 bytes. */
  readonly signature: string;
}

export interface LoggedIn {
  readonly token: string;
  readonly expiresAt: number;
  readonly user: {
    readonly id: string;
    readonly role: StaffRole;
    readonly username: string;
    readonly displayName: string | null;
  };
}

export interface StaffLoginDeps {
  readonly db: Db;
  readonly sessions: Sessions;
  readonly lockout: Lockout;
  readonly hasher: CredentialHasher;
  readonly audit: LedgerAppend;
  readonly clock?: () => number;
}

/**
 * Staff login in two steps: a random single-use challenge bound to a username, then the
 * password plus a signature of the challenge by one of the account's registered keys. Both
 * factors are always checked and every failure looks the same; failures count towards the
 * per-account lockout and, like successes, are written to the ledger.
 */
export class StaffLogin {
  private readonly clock: () => number;

  constructor(private readonly deps: StaffLoginDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /**
   * Issues a challenge for `username`. Unknown usernames get one too, stored the same way, so
   * the answer does not tell which accounts exist.
   */
  async issueChallenge(rawUsername: string): Promise<StaffChallenge> {
    const username = normaliseUsername(rawUsername);
    if (username === undefined) throw invalidInput('username is not a valid username.');
    const now = this.clock();
    const challenge = {
      id: randomToken(16),
      username,
      challenge: randomChallenge(),
      expiresAt: now + CHALLENGE_TTL_MS,
    };
    await withTransaction(this.deps.db, async (tx) => {
      // Keeps the table to a few minutes of challenges whatever the request rate.
      await deleteExpiredChallenges(tx, now);
      await insertChallenge(tx, challenge);
    });
    return { challengeId: challenge.id, challenge: challenge.challenge, expiresAt: challenge.expiresAt };
  }

  /**
   * Checks a login and opens a session.
   * @throws AppError login_failed (401) for any wrong factor, rate_limited (429) while locked.
   */
  async login(input: StaffLoginInput): Promise<LoggedIn> {
    const now = this.clock();
    const username = normaliseUsername(input.username) ?? null;
    // Single use comes first and commits on its own: a replay fails even when the first
    // attempt with this challenge failed, and two concurrent attempts cannot both use it.
    const challenge = await consumeChallenge(this.deps.db, input.challengeId, now);
    if (challenge === undefined || challenge.username !== username || challenge.expiresAt <= now) {
      // No lockout count: without a live challenge nothing was checked, so nothing was guessed.
      return this.fail({ username, user: undefined, account: undefined, reasons: ['challenge'] });
    }
    const found = await findStaffCredentials(this.deps.db, challenge.username);
    const user = found !== undefined && isStaffRole(found.role) ? found : undefined;
    // Unknown usernames lock too (under their name), so lockout behaviour reveals nothing.
    const account = user?.id ?? `staff:${challenge.username}`;
    try {
      await this.deps.lockout.assertOpen(this.deps.db, account);
    } catch (err) {
      // A refused attempt is evidence too; committed before the 429 is thrown.
      await withTransaction(this.deps.db, (tx) =>
        this.record(tx, user, challenge.username, 'denied', { reasons: ['locked'] }),
      );
      throw err;
    }

    const keyId =
      user === undefined ? undefined : await this.verifyingKey(user.id, challenge.challenge, input.signature);
    // The password is checked (or a dummy hashed) whatever the signature said: the response time
    // must not tell an existing account from an unknown one, or a bad key from a bad password.
    const password =
      user?.passwordHash != null
        ? await this.deps.hasher.verify(user.passwordHash, input.password, 'password')
        : await this.deps.hasher.dummy('password').then(() => ({ ok: false, needsRehash: false }));
    const reasons = [
      ...(user === undefined ? ['unknown_user'] : []),
      ...(user !== undefined && keyId === undefined ? ['signature'] : []),
      ...(user !== undefined && !password.ok ? ['password'] : []),
      ...(user !== undefined && user.status !== 'active' ? ['disabled'] : []),
    ];
    if (user === undefined || keyId === undefined || reasons.length > 0) {
      return this.fail({ username: challenge.username, user, account, reasons });
    }

    const rehash = password.needsRehash ? await this.deps.hasher.hash(input.password, 'password') : undefined;
    return withTransaction(this.deps.db, async (tx) => {
      await this.deps.lockout.recordSuccess(tx, account);
      // Parameters and pepper upgrade on the next good login (issue 4).
      if (rehash !== undefined) await setUserPasswordHash(tx, user.id, rehash, now);
      const role = user.role as StaffRole;
      const session = await this.deps.sessions.create(tx, { userId: user.id, role });
      await this.deps.audit.append(tx, {
        actor: { userId: user.id, role },
        action: 'login.success',
        target: { type: 'user', id: user.id },
        patientId: null,
        outcome: 'success',
        details: { method: 'staff', username: challenge.username, keyId },
      });
      return {
        token: session.token,
        expiresAt: session.expiresAt,
        user: { id: user.id, role, username: challenge.username, displayName: user.displayName },
      };
    });
  }

  /** The id of the first non-revoked key of the user whose signature verifies, if any. */
  private async verifyingKey(
    userId: string,
    challenge: string,
    signature: string,
  ): Promise<string | undefined> {
    const keys = await activeStaffKeys(this.deps.db, userId);
    return keys.find((k) => verifiesWith(k, challenge, signature))?.keyId;
  }

  /**
   * Records a failed attempt and throws the generic 401. The failure count and ledger entries
   * are written in their own transaction, which commits BEFORE the error is thrown: thrown
   * inside it, the error would roll the evidence back and lockout would never trigger.
   */
  private async fail(f: {
    username: string | null;
    user: StaffCredentialRow | undefined;
    account: string | undefined;
    reasons: string[];
  }): Promise<never> {
    await withTransaction(this.deps.db, async (tx) => {
      // The counter first, the ledger last: on PostgreSQL an append holds the ledger's head row
      // until the transaction ends, so it comes as late as possible.
      const result =
        f.account === undefined ? undefined : await this.deps.lockout.recordFailure(tx, f.account);
      await this.record(tx, f.user, f.username, 'failure', { reasons: f.reasons });
      if (result?.locked) {
        await this.deps.audit.append(tx, {
          actor: null,
          action: 'account.locked',
          target: f.user === undefined ? null : { type: 'user', id: f.user.id },
          patientId: null,
          outcome: 'denied',
          details: { method: 'staff', username: f.username, retryAfterSeconds: result.retryAfterSeconds },
        });
      }
    });
    throw loginFailed();
  }

  /** A login ledger entry; attempts are anonymous (actor null) until they succeed. */
  private async record(
    tx: DbOrTx,
    user: StaffCredentialRow | undefined,
    username: string | null,
    outcome: 'failure' | 'denied',
    details: { reasons: string[] },
  ): Promise<void> {
    await this.deps.audit.append(tx, {
      actor: null,
      action: 'login.failure',
      target: user === undefined ? null : { type: 'user', id: user.id },
      patientId: null,
      outcome,
      details: { method: 'staff', username, reasons: details.reasons },
    });
  }
}

/** Whether `signature` verifies over the challenge with this stored key (by its own algorithm). */
function verifiesWith(key: StaffKeyRow, challenge: string, signature: string): boolean {
  try {
    const parsed = parsePublicKeyPem(key.publicKeyPem);
    // The stored algorithm must agree with the key itself; a mismatch is a corrupt row, never a pass.
    if (
      !(SIGNATURE_ALGORITHMS as readonly string[]).includes(key.algorithm) ||
      parsed.algorithm !== key.algorithm
    )
      return false;
    return verifySignature(parsed.algorithm, parsed.keyObject, Buffer.from(challenge, 'utf8'), signature);
  } catch {
    return false;
  }
}

import {
  LOGIN_CHALLENGE_TYPE,
  MAX_ORIGIN_LENGTH,
  loginMessage,
  type LoginChallenge,
} from '../../contract/signing/index.js';
import { randomToken } from '../../crypto/random-token.js';

import {
  consumeChallenge,
  deleteExpiredChallenges,
  insertChallenge,
} from '../../store/challenge-repository.js';
import { withTransaction, type Db, type DbOrTx } from '../../store/database.js';
import { activeStaffKeys } from '../../store/staff-key-repository.js';
import { verifiesWith } from './staff-key-signature.js';
import {
  findStaffCredentials,
  setUserPasswordHash,
  type StaffCredentialRow,
} from '../../store/user-repository.js';
import { isStaffRole, type StaffRole } from '../actor.js';
import { invalidInput, loginFailed } from '../errors.js';
import type { CredentialHasher } from './credential-hasher.js';
import type { HashTicket } from './hash-pool.js';
import type { Lockout } from './lockout.js';
import {
  secondFactorNeededError,
  type SecondFactorLogin,
  type SecondFactorNeeded,
} from './second-factor-login.js';
import type { Sessions } from './sessions.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { normaliseUsername } from './staff-input.js';
import type { UsernameLabels } from './username-label.js';

/** How long a login challenge may be answered (issue 4: two minutes). */
export const CHALLENGE_TTL_MS = 2 * 60_000;

/** The one answer to every failed login, whichever factor was wrong (no oracle). */
export { loginFailed };

export interface StaffChallenge {
  readonly challengeId: string;
  /** Sign its login message (src/contract/signing), never the challenge as text. */
  readonly challenge: LoginChallenge;
  readonly expiresAt: number;
}

export interface StaffLoginInput {
  readonly username: string;
  readonly password: string;
  readonly challengeId: string;
  /** Standard base64 signature over the challenge's login message (src/contract/signing). */
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

/** The source of attempts made in-process (tests, tools), when no client address is known. */
export const LOCAL_SOURCE = 'local';
/** The origin named by challenges issued in-process (tests, tools), when no server origin applies. */
export const LOCAL_ORIGIN = 'medvault:local';
const ORIGIN_RE = /^[\x21-\x7e]+$/;
/** Lockout key prefix of a source address (account keys are user ids or SSN indexes). */
const SOURCE_PREFIX = 'staff-source:';

/** Where a failed attempt is counted: the account's lockout, or its source's. */
interface Counter {
  readonly limiter: Lockout;
  readonly key: string;
}

export interface StaffLoginDeps {
  readonly db: Db;
  readonly sessions: Sessions;
  /** Per account: attempts with a valid signature by a current key of the account. */
  readonly lockout: Lockout;
  /** Per source address: every other attempt (SOURCE_POLICY). */
  readonly sourceLimit: Lockout;
  readonly usernames: UsernameLabels;
  readonly hasher: CredentialHasher;
  readonly audit: LedgerAppend;
  readonly clock?: () => number;
  /** The second step (issue 14); without it no second factor is ever asked. */
  readonly secondFactors?: SecondFactorLogin;
}

/**
 * Staff login in two steps: a random single-use challenge bound to a username, then the
 * password plus a signature of the challenge by one of the account's registered keys. Both
 * factors are always checked and every failure looks the same; failures with a valid signature
 * count towards the per-account lockout, all others towards their source address's, and, like
 * successes, are written to the ledger (unknown usernames only as a keyed hash).
 */
export class StaffLogin {
  private readonly clock: () => number;

  constructor(private readonly deps: StaffLoginDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /**
   * Issues a challenge for `username` on behalf of the server at `origin` (the HTTP route passes
   * MEDVAULT_PUBLIC_ORIGIN, else the request's own origin). Unknown usernames get one too, so the
   * answer does not tell which accounts exist; their row holds only the keyed hash of the name
   * (finding 8). The row keeps origin and nonce; the username is the login request's, checked
   * against the row's label, so the signed message is rebuilt without storing it.
   */
  async issueChallenge(rawUsername: string, origin: string = LOCAL_ORIGIN): Promise<StaffChallenge> {
    const username = normaliseUsername(rawUsername);
    if (username === undefined) throw invalidInput('username is not a valid username.');
    if (origin.length > MAX_ORIGIN_LENGTH || !ORIGIN_RE.test(origin))
      throw invalidInput('The server origin this login is for is not a valid origin.');
    const { label } = await this.lookUp(username);
    const now = this.clock();
    const challenge: LoginChallenge = {
      type: LOGIN_CHALLENGE_TYPE,
      v: 1,
      origin,
      username,
      nonce: randomToken(32),
      expiresAt: now + CHALLENGE_TTL_MS,
    };
    const row = {
      id: randomToken(16),
      username: label,
      challenge: storedChallenge(challenge),
      expiresAt: challenge.expiresAt,
    };
    await withTransaction(this.deps.db, async (tx) => {
      // Keeps the table to a few minutes of challenges whatever the request rate.
      await deleteExpiredChallenges(tx, now);
      await insertChallenge(tx, row);
    });
    return { challengeId: row.id, challenge, expiresAt: challenge.expiresAt };
  }

  /**
   * Checks a login and opens a session. `source` is the client's address (the HTTP route passes
   * it); attempts without a valid signature by a current key of the account count against it,
   * never against the account.
   * @throws AppError login_failed (401) for any wrong factor, rate_limited (429) while the account
   *   (valid signature) or the source (no valid signature) is locked; credential_queue_full (503)
   *   when the hashing queue is full.
   */
  async login(input: StaffLoginInput, source: string = LOCAL_SOURCE): Promise<LoggedIn> {
    const answer = await this.signIn(input, source);
    if ('secondFactor' in answer) throw secondFactorNeededError();
    return answer;
  }

  /**
   * {@link login}, or — when the account's role and factors call for one — the pending token of
   * the second step instead of a session (the HTTP route answers it as 202).
   */
  async signIn(
    input: StaffLoginInput,
    source: string = LOCAL_SOURCE,
  ): Promise<LoggedIn | SecondFactorNeeded> {
    // The password hash is admitted before the challenge is consumed or anything counted: a full
    // queue refuses at once (503) and the challenge stays usable.
    const ticket = this.deps.hasher.admit(1);
    try {
      return await this.attempt(input, source, ticket);
    } finally {
      ticket.release();
    }
  }

  private async attempt(
    input: StaffLoginInput,
    source: string,
    ticket: HashTicket,
  ): Promise<LoggedIn | SecondFactorNeeded> {
    const now = this.clock();
    const username = normaliseUsername(input.username);
    const { user, label } =
      username === undefined ? { user: undefined, label: null } : await this.lookUp(username);
    // Single use comes first and commits on its own: a replay fails even when the first
    // attempt with this challenge failed, and two concurrent attempts cannot both use it.
    const challenge = await consumeChallenge(this.deps.db, input.challengeId, now);
    if (
      challenge === undefined ||
      label === null ||
      challenge.username !== label ||
      challenge.expiresAt <= now
    ) {
      // No lockout count: without a live challenge nothing was checked, so nothing was guessed.
      return this.fail({ username: label, user: undefined, counter: undefined, reasons: ['challenge'] });
    }

    // The message the client signed: the login context and the challenge's fields, the username
    // being the one just matched to the row's label. A row this version did not write gives none.
    const stored = readStoredChallenge(challenge.challenge);
    const message =
      stored === undefined || username === undefined
        ? undefined
        : loginMessage({ ...stored, username, expiresAt: challenge.expiresAt });
    const keyId =
      user === undefined || message === undefined
        ? undefined
        : await this.verifyingKey(user.id, message, input.signature);
    // Only a signature by a current key of the account makes the attempt a guess at its password,
    // so only then does it count against the account (finding 4: anyone could lock a doctor with
    // junk signatures). Anything else counts against its source address, unknown usernames
    // included: to a caller without the key, known and unknown accounts behave the same.
    const counter: Counter =
      keyId !== undefined && user !== undefined
        ? { limiter: this.deps.lockout, key: user.id }
        : { limiter: this.deps.sourceLimit, key: `${SOURCE_PREFIX}${source}` };
    try {
      await counter.limiter.assertOpen(this.deps.db, counter.key);
    } catch (err) {
      // A refused attempt is evidence too; committed before the 429 is thrown.
      const reasons = [counter.limiter === this.deps.lockout ? 'locked' : 'source_locked'];
      await withTransaction(this.deps.db, (tx) => this.record(tx, user, label, 'denied', { reasons }));
      throw err;
    }

    // The password is checked (or a dummy hashed) whatever the signature said: the response time
    // must not tell an existing account from an unknown one, or a bad key from a bad password.
    const password =
      user?.passwordHash != null
        ? await this.deps.hasher.verify(user.passwordHash, input.password, 'password', ticket)
        : await this.deps.hasher.dummy('password', ticket).then(() => ({ ok: false, needsRehash: false }));
    const reasons = [
      ...(user === undefined ? ['unknown_user'] : []),
      ...(user !== undefined && keyId === undefined ? ['signature'] : []),
      ...(user !== undefined && !password.ok ? ['password'] : []),
      ...(user !== undefined && user.status !== 'active' ? ['disabled'] : []),
    ];
    if (user === undefined || keyId === undefined || reasons.length > 0) {
      return this.fail({ username: label, user, counter, reasons, source });
    }

    // Skipped, for a later login, when the hashing queue has no room now.
    const rehash = password.needsRehash
      ? await this.deps.hasher.upgrade(input.password, 'password')
      : undefined;
    return withTransaction(this.deps.db, async (tx) => {
      // Parameters and pepper upgrade on the next good login (issue 4).
      if (rehash !== undefined) await setUserPasswordHash(tx, user.id, rehash, now);
      const role = user.role as StaffRole;
      // A second factor to come: no session, and the lockout not cleared until it verifies.
      const pending = await this.deps.secondFactors?.begin(tx, { userId: user.id, role }, user.id);
      if (pending !== undefined) return pending;
      await this.deps.lockout.recordSuccess(tx, user.id);
      const session = await this.deps.sessions.create(tx, { userId: user.id, role });
      await this.deps.audit.append(tx, {
        actor: { userId: user.id, role },
        action: 'login.success',
        target: { type: 'user', id: user.id },
        patientId: null,
        outcome: 'success',
        details: { method: 'staff', username: label, keyId },
      });
      return {
        token: session.token,
        expiresAt: session.expiresAt,
        user: { id: user.id, role, username: label, displayName: user.displayName },
      };
    });
  }

  /** The staff account a (normalised) username names, and how that username may be stored. */
  private async lookUp(username: string): Promise<{ user: StaffCredentialRow | undefined; label: string }> {
    const found = await findStaffCredentials(this.deps.db, username);
    const user = found !== undefined && isStaffRole(found.role) ? found : undefined;
    return { user, label: await this.deps.usernames.of(username, found !== undefined) };
  }

  /** The id of the first non-revoked key of the user whose signature verifies, if any. */
  private async verifyingKey(
    userId: string,
    message: Uint8Array,
    signature: string,
  ): Promise<string | undefined> {
    const keys = await activeStaffKeys(this.deps.db, userId);
    return keys.find((k) => verifiesWith(k, message, signature))?.keyId;
  }

  /**
   * Records a failed attempt and throws the generic 401. The failure count and ledger entries
   * are written in their own transaction, which commits BEFORE the error is thrown: thrown
   * inside it, the error would roll the evidence back and lockout would never trigger.
   */
  private async fail(f: {
    username: string | null;
    user: StaffCredentialRow | undefined;
    counter: Counter | undefined;
    reasons: string[];
    source?: string;
  }): Promise<never> {
    await withTransaction(this.deps.db, async (tx) => {
      // The counter first, the ledger last: on PostgreSQL an append holds the ledger's head row
      // until the transaction ends, so it comes as late as possible.
      const result =
        f.counter === undefined ? undefined : await f.counter.limiter.recordFailure(tx, f.counter.key);
      await this.record(tx, f.user, f.username, 'failure', { reasons: f.reasons });
      if (result?.locked) {
        const accountLocked = f.counter?.limiter === this.deps.lockout;
        await this.deps.audit.append(tx, {
          actor: null,
          action: 'account.locked',
          target: accountLocked && f.user !== undefined ? { type: 'user', id: f.user.id } : null,
          patientId: null,
          outcome: 'denied',
          details: accountLocked
            ? { method: 'staff', username: f.username, retryAfterSeconds: result.retryAfterSeconds }
            : { method: 'staff', source: f.source ?? null, retryAfterSeconds: result.retryAfterSeconds },
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

/**
 * What the `challenge` column holds: the server-side fields of the challenge as JSON. The
 * username is not among them (an unknown one is stored only as a keyed hash, finding 8).
 */
function storedChallenge(c: LoginChallenge): string {
  return JSON.stringify({ origin: c.origin, nonce: c.nonce });
}

function readStoredChallenge(text: string): { origin: string; nonce: string } | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { origin, nonce } = value as Record<string, unknown>;
    return typeof origin === 'string' && typeof nonce === 'string' ? { origin, nonce } : undefined;
  } catch {
    return undefined;
  }
}

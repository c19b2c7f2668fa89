import { hashToken, randomToken } from '../../crypto/random-token.js';
import type { DbOrTx } from '../../store/database.js';
import {
  findSession,
  insertSession,
  revokeSession,
  revokeUserSessions,
  touchSession,
} from '../../store/session-repository.js';
import { AccessScope } from '../access/index.js';
import { isRole, type Actor } from '../actor.js';

export interface SessionPolicy {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

/** How stale `last_seen_at` may get before a request writes it again (bounds writes per session). */
const TOUCH_EVERY_MS = 30_000;

/**
 * Sessions: opaque random 256-bit tokens handed to the client once; the database keeps only
 * their SHA-256, so a copy of the sessions table opens no session. Stored in the database so
 * several server processes share them. A session ends when idle too long, at its absolute
 * expiry, on logout, and when its account is disabled (checked on every request).
 */
export class Sessions {
  constructor(
    private readonly policy: SessionPolicy,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Starts a session (inside the login's transaction) and returns the token and its expiry. */
  async create(tx: DbOrTx, actor: Actor): Promise<{ token: string; expiresAt: number }> {
    const token = randomToken(32);
    const now = this.clock();
    const expiresAt = now + this.policy.absoluteMs;
    await insertSession(tx, {
      tokenHash: hashToken(token),
      userId: actor.userId,
      role: actor.role,
      now,
      expiresAt,
    });
    return { token, expiresAt };
  }

  /** The actor a token stands for, or null when it is unknown, ended or its account disabled. */
  async resolve(db: DbOrTx, token: string): Promise<Actor | null> {
    return (await this.check(db, token))?.actor ?? null;
  }

  /**
   * The access scope of one request carrying `token`: the session's caller, bound to the time
   * the session was checked at (so every decision of the request is taken as of its start).
   * Null when the token is unknown, ended or its account disabled.
   */
  async openScope(db: DbOrTx, token: string): Promise<AccessScope | null> {
    const checked = await this.check(db, token);
    return checked === null ? null : AccessScope.at(checked.actor, checked.now);
  }

  private async check(db: DbOrTx, token: string): Promise<{ actor: Actor; now: number } | null> {
    if (token.length === 0 || token.length > 128) return null;
    const tokenHash = hashToken(token);
    const row = await findSession(db, tokenHash);
    const now = this.clock();
    if (
      row === undefined ||
      row.revokedAt !== null ||
      row.userStatus !== 'active' ||
      now >= row.expiresAt ||
      now - row.lastSeenAt >= this.policy.idleMs ||
      !isRole(row.role)
    ) {
      return null;
    }
    if (now - row.lastSeenAt >= TOUCH_EVERY_MS) await touchSession(db, tokenHash, now);
    return { actor: { userId: row.userId, role: row.role }, now };
  }

  /** Ends one session (logout). Returns whether it was still open. */
  revoke(db: DbOrTx, token: string): Promise<boolean> {
    return revokeSession(db, hashToken(token), this.clock());
  }

  /** Ends every session of an account (disable, credential change). */
  revokeAll(db: DbOrTx, userId: string): Promise<number> {
    return revokeUserSessions(db, userId, this.clock());
  }
}

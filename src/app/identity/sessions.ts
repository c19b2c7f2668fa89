import { hashToken, randomToken } from '../../crypto/random-token.js';
import type { DbOrTx } from '../../store/database.js';
import {
  findSession,
  insertSession,
  listUserSessions,
  revokeOtherUserSessions,
  readSessionEpoch,
  revokeSession,
  revokeUserSessions,
  touchSession,
} from '../../store/session-repository.js';
import { AccessScope } from '../access/index.js';
import { isRole, type Actor } from '../actor.js';
import { DEFAULT_SESSION_CACHE, SessionCache, type SessionCacheLimits } from './session-cache.js';

/** One open session as its owner sees it. */
export interface SessionView {
  readonly id: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  /** The session this request came with. */
  readonly current: boolean;
}

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
 *
 * Each request reads one row, the revocation epoch (raised with every logout, revocation and
 * account status change, on any server); while it is unchanged, a session this process checked
 * within the last minute answers from its cache without reading the session and account rows.
 * A changed epoch, an unknown, expired-looking or stale entry goes to the database as before.
 */
export class Sessions {
  readonly #cache: SessionCache;

  constructor(
    private readonly policy: SessionPolicy,
    private readonly clock: () => number = Date.now,
    cacheLimits: SessionCacheLimits = DEFAULT_SESSION_CACHE,
  ) {
    this.#cache = new SessionCache(cacheLimits);
  }

  /** Sessions held in this process's cache (bounded; for tests and metrics). */
  get cachedSessions(): number {
    return this.#cache.size;
  }

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
    const key = tokenHash.toString('hex');
    // Read before the session row: a revocation committed after this read raises the epoch
    // past the one cached below, so the next request reads the row again.
    const epoch = await readSessionEpoch(db);
    const now = this.clock();
    const cached = this.#cache.get(key, epoch, now);
    if (cached !== undefined && now < cached.expiresAt && now - cached.lastSeenAt < this.policy.idleMs) {
      if (now - cached.lastSeenAt >= TOUCH_EVERY_MS) {
        await touchSession(db, tokenHash, now);
        cached.lastSeenAt = now;
      }
      return { actor: cached.actor, now };
    }
    // Not cached, or it looks ended here: the database decides (another server may have used
    // the session since this one last saw it).
    const row = await findSession(db, tokenHash);
    if (
      row === undefined ||
      row.revokedAt !== null ||
      row.userStatus !== 'active' ||
      now >= row.expiresAt ||
      now - row.lastSeenAt >= this.policy.idleMs ||
      !isRole(row.role)
    ) {
      this.#cache.delete(key);
      return null;
    }
    let lastSeenAt = row.lastSeenAt;
    if (now - lastSeenAt >= TOUCH_EVERY_MS) {
      await touchSession(db, tokenHash, now);
      lastSeenAt = now;
    }
    const actor: Actor = { userId: row.userId, role: row.role };
    this.#cache.set(key, { actor, expiresAt: row.expiresAt, lastSeenAt, epoch, checkedAt: now });
    return { actor, now };
  }

  /** Ends one session (logout). Returns whether it was still open. */
  revoke(db: DbOrTx, token: string): Promise<boolean> {
    const tokenHash = hashToken(token);
    this.#cache.delete(tokenHash.toString('hex'));
    return revokeSession(db, tokenHash, this.clock());
  }

  /**
   * The sessions of an account still usable now (not revoked, expired or idle too long), newest
   * first; `id` is the first 16 hex digits of the token's SHA-256 (names a session, opens none).
   */
  async listOpen(db: DbOrTx, userId: string, currentToken: string | undefined): Promise<SessionView[]> {
    const now = this.clock();
    const current = currentToken === undefined ? undefined : hashToken(currentToken);
    const rows = await listUserSessions(db, userId, now);
    return rows
      .filter((r) => now - r.lastSeenAt < this.policy.idleMs)
      .map((r) => ({
        id: Buffer.from(r.tokenHash).toString('hex').slice(0, 16),
        createdAt: r.createdAt,
        lastSeenAt: r.lastSeenAt,
        expiresAt: r.expiresAt,
        current: current !== undefined && current.equals(Buffer.from(r.tokenHash)),
      }));
  }

  /** Ends every session of an account except the one of `keepToken`. Returns how many ended. */
  revokeOthers(db: DbOrTx, userId: string, keepToken: string): Promise<number> {
    this.#cache.deleteUser(userId);
    return revokeOtherUserSessions(db, userId, hashToken(keepToken), this.clock());
  }

  /** Ends every session of an account (disable, credential change). */
  revokeAll(db: DbOrTx, userId: string): Promise<number> {
    this.#cache.deleteUser(userId);
    return revokeUserSessions(db, userId, this.clock());
  }
}

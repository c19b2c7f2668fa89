import { sql } from 'kysely';
import type { DbOrTx } from './database.js';

export interface SessionRow {
  readonly userId: string;
  readonly role: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  /** The account's status, joined in so one query answers "is this session good?". */
  readonly userStatus: string;
}

export async function insertSession(
  db: DbOrTx,
  s: { tokenHash: Buffer; userId: string; role: string; now: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      role: s.role,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      revoked_at: null,
    })
    .execute();
}

export async function findSession(db: DbOrTx, tokenHash: Buffer): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.user_id',
      'sessions.role',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.revoked_at',
      'users.status',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        userId: row.user_id,
        role: row.role,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
        userStatus: row.status,
      };
}

export async function touchSession(db: DbOrTx, tokenHash: Buffer, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
}

/**
 * The revocation epoch (migration 009). A plain SQL text rather than a query builder: it runs on
 * every authenticated request, and building the query cost more than running it.
 */
export async function readSessionEpoch(db: DbOrTx): Promise<number> {
  const r = await sql<{ epoch: number | string }>`select epoch from session_epoch where id = 1`.execute(db);
  const epoch = r.rows[0]?.epoch;
  if (epoch === undefined) throw new Error('session_epoch has no row (migration 009)');
  return Number(epoch);
}

/**
 * Raises the revocation epoch. Called AFTER every change that can end a session (logout,
 * revoking an account's sessions, an account's status), in its transaction: a reader that sees
 * the new epoch then also sees the change, so it never caches a session as good under an epoch
 * that already counts its end.
 */
export async function bumpSessionEpoch(db: DbOrTx): Promise<void> {
  await sql`update session_epoch set epoch = epoch + 1 where id = 1`.execute(db);
}

export async function revokeSession(db: DbOrTx, tokenHash: Buffer, now: number): Promise<boolean> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  await bumpSessionEpoch(db);
  return Number(r.numUpdatedRows) > 0;
}

export async function revokeUserSessions(db: DbOrTx, userId: string, now: number): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  await bumpSessionEpoch(db);
  return Number(r.numUpdatedRows);
}

/**
 * Deletes sessions past their absolute expiry or revoked before `before` (they can never be used
 * again; idle-expired ones end at their absolute expiry at the latest). Returns how many.
 */
export async function deleteEndedSessions(db: DbOrTx, now: number, before: number): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('revoked_at', '<', before)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The open (unrevoked, unexpired) sessions of an account, newest first. */
export async function listUserSessions(
  db: DbOrTx,
  userId: string,
  now: number,
): Promise<Array<{ tokenHash: Buffer; createdAt: number; lastSeenAt: number; expiresAt: number }>> {
  const rows = await db
    .selectFrom('sessions')
    .select(['token_hash', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    tokenHash: r.token_hash,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
  }));
}

/** Ends every session of an account but one (sign out everywhere else). Returns how many. */
export async function revokeOtherUserSessions(
  db: DbOrTx,
  userId: string,
  keep: Buffer,
  now: number,
): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('token_hash', '!=', keep)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  await bumpSessionEpoch(db);
  return Number(r.numUpdatedRows);
}

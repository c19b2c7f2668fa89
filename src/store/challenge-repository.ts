import type { DbOrTx } from './database.js';

/** A staff login challenge: single use, bound to a username, short-lived. */
export interface ChallengeRow {
  readonly id: string;
  readonly username: string;
  readonly challenge: string;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

export async function insertChallenge(
  db: DbOrTx,
  c: { id: string; username: string; challenge: string; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('login_challenges')
    .values({
      id: c.id,
      username: c.username,
      challenge: c.challenge,
      expires_at: c.expiresAt,
      used_at: null,
    })
    .execute();
}

/**
 * Marks a challenge used and returns it, or undefined when it does not exist or was used
 * before. The conditional UPDATE is the single-use guarantee: of two concurrent logins with the
 * same challenge exactly one changes the row, on either dialect.
 */
export async function consumeChallenge(
  db: DbOrTx,
  id: string,
  now: number,
): Promise<ChallengeRow | undefined> {
  const r = await db
    .updateTable('login_challenges')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  const row = await db
    .selectFrom('login_challenges')
    .select(['id', 'username', 'challenge', 'expires_at', 'used_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        id: row.id,
        username: row.username,
        challenge: row.challenge,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      };
}

/** Deletes challenges that expired before `before` (used or not): they can never be answered. */
export async function deleteExpiredChallenges(db: DbOrTx, before: number): Promise<void> {
  await db.deleteFrom('login_challenges').where('expires_at', '<', before).execute();
}

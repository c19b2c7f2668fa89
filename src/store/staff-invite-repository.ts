import type { DbOrTx } from './database.js';

/** A one-time staff invite, as its keyed verifier only. */
export interface StaffInviteRow {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
  readonly revokedAt: number | null;
}

/** Stores a new invite for `userId`, replacing (revoking) any earlier unused one. */
export async function insertStaffInvite(
  db: DbOrTx,
  i: { id: string; userId: string; verifier: string; now: number; expiresAt: number },
): Promise<void> {
  await revokeStaffInvites(db, i.userId, i.now);
  await db
    .insertInto('staff_invites')
    .values({
      id: i.id,
      user_id: i.userId,
      verifier: i.verifier,
      created_at: i.now,
      expires_at: i.expiresAt,
      used_at: null,
      revoked_at: null,
    })
    .execute();
}

/** Revokes every unused invite of a user (a newer one replaces them, or the account goes). */
export async function revokeStaffInvites(db: DbOrTx, userId: string, now: number): Promise<void> {
  await db
    .updateTable('staff_invites')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The invite whose verifier is `verifier` (the typed code's, under the current pepper). */
export async function findStaffInvite(db: DbOrTx, verifier: string): Promise<StaffInviteRow | undefined> {
  const r = await db
    .selectFrom('staff_invites')
    .select(['id', 'user_id', 'created_at', 'expires_at', 'used_at', 'revoked_at'])
    .where('verifier', '=', verifier)
    .executeTakeFirst();
  return r === undefined
    ? undefined
    : {
        id: r.id,
        userId: r.user_id,
        createdAt: Number(r.created_at),
        expiresAt: Number(r.expires_at),
        usedAt: r.used_at === null ? null : Number(r.used_at),
        revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
      };
}

/** Marks an invite used, once: false when it was used or revoked meanwhile (a racing second use). */
export async function useStaffInvite(db: DbOrTx, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('staff_invites')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

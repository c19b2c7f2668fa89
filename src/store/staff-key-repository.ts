import type { DbOrTx } from './database.js';

/** A registered staff public key. Revoked keys stay, so old signatures remain explainable. */
export interface StaffKeyRow {
  readonly keyId: string;
  readonly userId: string;
  readonly algorithm: string;
  readonly publicKeyPem: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

interface RawKey {
  key_id: string;
  user_id: string;
  algorithm: string;
  public_key_pem: string;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = ['key_id', 'user_id', 'algorithm', 'public_key_pem', 'created_at', 'revoked_at'] as const;

const toKey = (r: RawKey): StaffKeyRow => ({
  keyId: r.key_id,
  userId: r.user_id,
  algorithm: r.algorithm,
  publicKeyPem: r.public_key_pem,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export async function insertStaffKey(
  db: DbOrTx,
  k: { keyId: string; userId: string; algorithm: string; publicKeyPem: string; now: number },
): Promise<void> {
  await db
    .insertInto('staff_keys')
    .values({
      key_id: k.keyId,
      user_id: k.userId,
      algorithm: k.algorithm,
      public_key_pem: k.publicKeyPem,
      created_at: k.now,
      revoked_at: null,
    })
    .execute();
}

export async function findStaffKey(db: DbOrTx, keyId: string): Promise<StaffKeyRow | undefined> {
  const row = await db
    .selectFrom('staff_keys')
    .select(COLUMNS)
    .where('key_id', '=', keyId)
    .executeTakeFirst();
  return row === undefined ? undefined : toKey(row);
}

/** Every key of the given users (revoked ones included), oldest first. */
export async function listStaffKeys(db: DbOrTx, userIds: readonly string[]): Promise<StaffKeyRow[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('staff_keys')
    .select(COLUMNS)
    .where('user_id', 'in', [...userIds])
    .orderBy('created_at')
    .orderBy('key_id')
    .execute();
  return rows.map(toKey);
}

/** The keys a user may sign in with now. */
export async function activeStaffKeys(db: DbOrTx, userId: string): Promise<StaffKeyRow[]> {
  const rows = await db
    .selectFrom('staff_keys')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map(toKey);
}

/** Marks a key of `userId` revoked; false when it is not theirs or was already revoked. */
export async function revokeStaffKey(
  db: DbOrTx,
  userId: string,
  keyId: string,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('staff_keys')
    .set({ revoked_at: now })
    .where('key_id', '=', keyId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Revokes every key of `userId` still live (a re-enrolment); answers how many. */
export async function revokeAllStaffKeys(db: DbOrTx, userId: string, now: number): Promise<number> {
  const r = await db
    .updateTable('staff_keys')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

import { sql } from 'kysely';
import type { DbOrTx } from './database.js';
import { bumpSessionEpoch } from './session-repository.js';

/** An account as the application sees it. Credential verifiers are read only by the login. */
export interface UserRow {
  readonly id: string;
  readonly role: string;
  readonly username: string | null;
  readonly displayName: string | null;
  readonly status: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Whether a password verifier is set (staff: enrolled). Never the verifier itself. */
  readonly hasPassword: boolean;
}

/** A staff account with its password verifier, for the login only. */
export interface StaffCredentialRow extends UserRow {
  readonly passwordHash: string | null;
}

const USER_COLUMNS = [
  'id',
  'role',
  'username',
  'display_name',
  'status',
  'created_at',
  'updated_at',
  sql<number>`case when password_hash is null then 0 else 1 end`.as('has_password'),
] as const;

interface RawUser {
  id: string;
  role: string;
  username: string | null;
  display_name: string | null;
  status: string;
  created_at: number;
  updated_at: number;
  has_password: number | string;
}

const toUser = (r: RawUser): UserRow => ({
  id: r.id,
  role: r.role,
  username: r.username,
  displayName: r.display_name,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  hasPassword: Number(r.has_password) === 1,
});

export async function insertUser(
  db: DbOrTx,
  u: {
    id: string;
    role: string;
    username: string;
    displayName: string;
    /** Null for an account made by an admin: the holder sets it when enrolling. */
    passwordHash: string | null;
    /** 'active' (operator bootstrap) or 'pending' (waits for a second admin). */
    status?: 'active' | 'pending';
    now: number;
  },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      role: u.role,
      username: u.username,
      display_name: u.displayName,
      status: u.status ?? 'active',
      password_hash: u.passwordHash,
      created_at: u.now,
      updated_at: u.now,
    })
    .execute();
}

export async function findUserById(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toUser(row);
}

export async function usernameTaken(db: DbOrTx, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return row !== undefined;
}

/** The account behind a username with its password verifier, for the staff login. */
export async function findStaffCredentials(
  db: DbOrTx,
  username: string,
): Promise<StaffCredentialRow | undefined> {
  const row = await db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'password_hash'])
    .where('username', '=', username)
    .executeTakeFirst();
  return row === undefined ? undefined : { ...toUser(row), passwordHash: row.password_hash };
}

/** Every account whose role is one of `roles`, oldest first. */
export async function listUsersByRole(db: DbOrTx, roles: readonly string[]): Promise<UserRow[]> {
  const rows = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('role', 'in', [...roles])
    .orderBy('created_at')
    .orderBy('username')
    .execute();
  return rows.map(toUser);
}

/** Sets an account's status; raises the session revocation epoch with it (sessions check status). */
export async function setUserStatus(db: DbOrTx, id: string, status: string, now: number): Promise<void> {
  await db.updateTable('users').set({ status, updated_at: now }).where('id', '=', id).execute();
  await bumpSessionEpoch(db);
}

/** Replaces a staff password verifier (parameter or pepper upgrade after a good login). */
export async function setUserPasswordHash(
  db: DbOrTx,
  id: string,
  passwordHash: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Display names of users by id (staff names are not patient data; patients have none). */
export async function displayNames(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Removes a staff password verifier (a re-enrolment): no password logs in until the holder enrols again. */
export async function clearUserPassword(db: DbOrTx, id: string, now: number): Promise<void> {
  await db.updateTable('users').set({ password_hash: null, updated_at: now }).where('id', '=', id).execute();
}

/** Sets the first password of an enrolling account; false when one was set meanwhile. */
export async function setFirstPassword(
  db: DbOrTx,
  id: string,
  passwordHash: string,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', id)
    .where('password_hash', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

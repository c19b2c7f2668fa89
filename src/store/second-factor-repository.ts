import type { DbOrTx } from './database.js';

/** One second factor of a user (migration 016). */
export interface SecondFactorRow {
  readonly id: string;
  readonly userId: string;
  readonly kind: 'totp' | 'passkey';
  readonly label: string;
  readonly secretCt: Buffer | null;
  readonly lastStep: number | null;
  readonly credentialId: string | null;
  readonly publicKey: Buffer | null;
  readonly signCount: number | null;
  readonly transports: string | null;
  readonly createdAt: number;
  readonly confirmedAt: number | null;
  readonly lastUsedAt: number | null;
}

export type NewSecondFactor = Omit<SecondFactorRow, 'lastUsedAt' | 'lastStep'>;

const COLUMNS = [
  'id',
  'user_id',
  'kind',
  'label',
  'secret_ct',
  'last_step',
  'credential_id',
  'public_key',
  'sign_count',
  'transports',
  'created_at',
  'confirmed_at',
  'last_used_at',
] as const;

type Raw = {
  id: string;
  user_id: string;
  kind: string;
  label: string;
  secret_ct: Buffer | null;
  last_step: number | null;
  credential_id: string | null;
  public_key: Buffer | null;
  sign_count: number | null;
  transports: string | null;
  created_at: number;
  confirmed_at: number | null;
  last_used_at: number | null;
};

const toRow = (r: Raw): SecondFactorRow => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind === 'passkey' ? 'passkey' : 'totp',
  label: r.label,
  secretCt: r.secret_ct,
  lastStep: r.last_step === null ? null : Number(r.last_step),
  credentialId: r.credential_id,
  publicKey: r.public_key,
  signCount: r.sign_count === null ? null : Number(r.sign_count),
  transports: r.transports,
  createdAt: Number(r.created_at),
  confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
  lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
});

export async function insertSecondFactor(db: DbOrTx, f: NewSecondFactor): Promise<void> {
  await db
    .insertInto('second_factors')
    .values({
      id: f.id,
      user_id: f.userId,
      kind: f.kind,
      label: f.label,
      secret_ct: f.secretCt,
      last_step: null,
      credential_id: f.credentialId,
      public_key: f.publicKey,
      sign_count: f.signCount,
      transports: f.transports,
      created_at: f.createdAt,
      confirmed_at: f.confirmedAt,
      last_used_at: null,
    })
    .execute();
}

/** Every factor of a user, confirmed or not, oldest first. */
export async function listSecondFactors(db: DbOrTx, userId: string): Promise<SecondFactorRow[]> {
  const rows = await db
    .selectFrom('second_factors')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRow);
}

export async function findSecondFactor(
  db: DbOrTx,
  userId: string,
  id: string,
): Promise<SecondFactorRow | undefined> {
  const row = await db
    .selectFrom('second_factors')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

export async function findPasskey(
  db: DbOrTx,
  userId: string,
  credentialId: string,
): Promise<SecondFactorRow | undefined> {
  const row = await db
    .selectFrom('second_factors')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('kind', '=', 'passkey')
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

/** Whether the user has a usable (confirmed) factor. */
export async function hasConfirmedFactor(db: DbOrTx, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('second_factors')
    .select('id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records an accepted TOTP step. Conditional: only a step later than the last accepted one
 * moves it, so of two concurrent uses of one code exactly one changes the row (replay refused).
 */
export async function acceptTotpStep(
  db: DbOrTx,
  id: string,
  step: number,
  now: number,
  confirm: boolean,
): Promise<boolean> {
  const r = await db
    .updateTable('second_factors')
    .set({ last_step: step, last_used_at: now, ...(confirm ? { confirmed_at: now } : {}) })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Records a passkey use with its new signature counter. Conditional on the counter seen when the
 * assertion was checked, so two concurrent assertions cannot both move it.
 */
export async function acceptPasskeyCounter(
  db: DbOrTx,
  id: string,
  seen: number,
  next: number,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('second_factors')
    .set({ sign_count: next, last_used_at: now })
    .where('id', '=', id)
    .where('sign_count', '=', seen)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteSecondFactor(db: DbOrTx, userId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('second_factors')
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Unconfirmed TOTP factors of a user (a new setup replaces an abandoned one). */
export async function deleteUnconfirmedTotp(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('second_factors')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', 'totp')
    .where('confirmed_at', 'is', null)
    .execute();
  if (rows.length > 0)
    await db
      .deleteFrom('second_factors')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  return rows.map((r) => r.id);
}

/** A login waiting for its second factor (or for one to be enrolled). */
export interface PendingRow {
  readonly userId: string;
  readonly role: string;
  readonly stage: 'verify' | 'enrol';
  readonly lockoutKey: string;
  readonly expiresAt: number;
}

export async function insertPending(
  db: DbOrTx,
  p: PendingRow & { tokenHash: Buffer; createdAt: number },
): Promise<void> {
  await db
    .insertInto('second_factor_pending')
    .values({
      token_hash: p.tokenHash,
      user_id: p.userId,
      role: p.role,
      stage: p.stage,
      lockout_key: p.lockoutKey,
      created_at: p.createdAt,
      expires_at: p.expiresAt,
      used_at: null,
    })
    .execute();
}

/** A live pending login (unused, unexpired), or undefined. */
export async function findPending(
  db: DbOrTx,
  tokenHash: Buffer,
  now: number,
): Promise<PendingRow | undefined> {
  const row = await db
    .selectFrom('second_factor_pending')
    .select(['user_id', 'role', 'stage', 'lockout_key', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        userId: row.user_id,
        role: row.role,
        stage: row.stage === 'enrol' ? 'enrol' : 'verify',
        lockoutKey: row.lockout_key,
        expiresAt: Number(row.expires_at),
      };
}

/** Marks a pending login used; false when it was already (the single-use guarantee). */
export async function usePending(db: DbOrTx, tokenHash: Buffer, now: number): Promise<boolean> {
  const r = await db
    .updateTable('second_factor_pending')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteExpiredPending(db: DbOrTx, before: number): Promise<void> {
  await db.deleteFrom('second_factor_pending').where('expires_at', '<', before).execute();
}

export async function insertWebauthnChallenge(
  db: DbOrTx,
  c: { challenge: string; userId: string; purpose: 'register' | 'authenticate'; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('webauthn_challenges')
    .values({ challenge: c.challenge, user_id: c.userId, purpose: c.purpose, expires_at: c.expiresAt })
    .execute();
}

/**
 * Deletes a live challenge of this user and purpose and says whether there was one: the delete
 * is the single-use guarantee (of two concurrent answers exactly one deletes it).
 */
export async function consumeWebauthnChallenge(
  db: DbOrTx,
  c: { challenge: string; userId: string; purpose: 'register' | 'authenticate' },
  now: number,
): Promise<boolean> {
  const r = await db
    .deleteFrom('webauthn_challenges')
    .where('challenge', '=', c.challenge)
    .where('user_id', '=', c.userId)
    .where('purpose', '=', c.purpose)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteExpiredWebauthnChallenges(db: DbOrTx, before: number): Promise<void> {
  await db.deleteFrom('webauthn_challenges').where('expires_at', '<', before).execute();
}

/**
 * Removes every second factor of a user, their sign-ins waiting for one and their WebAuthn
 * challenges (a re-enrolment). Returns how many factors went.
 */
export async function deleteAllSecondFactors(db: DbOrTx, userId: string): Promise<number> {
  await db.deleteFrom('second_factor_pending').where('user_id', '=', userId).execute();
  await db.deleteFrom('webauthn_challenges').where('user_id', '=', userId).execute();
  const r = await db.deleteFrom('second_factors').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

import type { DbOrTx } from './database.js';
import type { IdempotencyKeysTable } from './schema.js';

export type IdempotencyRow = IdempotencyKeysTable;

const toRow = (r: IdempotencyRow): IdempotencyRow => ({
  ...r,
  created_at: Number(r.created_at),
  status: r.status === null ? null : Number(r.status),
});

/** Claims (caller, key) for a new attempt; false when the pair is already there. */
export async function claimIdempotencyKey(db: DbOrTx, row: IdempotencyRow): Promise<boolean> {
  const result = await db
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['caller_id', 'idem_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findIdempotencyKey(
  db: DbOrTx,
  callerId: string,
  key: string,
): Promise<IdempotencyRow | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('caller_id', '=', callerId)
    .where('idem_key', '=', key)
    .executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

/**
 * Moves a pending key from `fromOwner` to `toOwner` (an attempt whose lease ran out: its process
 * died before its write committed). False when someone else got there first.
 */
export async function takeOverIdempotencyKey(
  db: DbOrTx,
  callerId: string,
  key: string,
  fromOwner: string,
  toOwner: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('idempotency_keys')
    .set({ owner: toOwner, created_at: now })
    .where('caller_id', '=', callerId)
    .where('idem_key', '=', key)
    .where('owner', '=', fromOwner)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Marks the key committed, in the write's own transaction; false when `owner` no longer holds it
 * (its lease ran out and another attempt took it over: the write must then roll back).
 */
export async function markIdempotencyKeyCommitted(
  tx: DbOrTx,
  callerId: string,
  key: string,
  owner: string,
): Promise<boolean> {
  const result = await tx
    .updateTable('idempotency_keys')
    .set({ state: 'committed' })
    .where('caller_id', '=', callerId)
    .where('idem_key', '=', key)
    .where('owner', '=', owner)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Stores the answer of a committed attempt (state 'done'). */
export async function saveIdempotentAnswer(
  db: DbOrTx,
  callerId: string,
  key: string,
  owner: string,
  answer: { status: number; contentType: string; bodyCt: Buffer },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'done', status: answer.status, content_type: answer.contentType, body_ct: answer.bodyCt })
    .where('caller_id', '=', callerId)
    .where('idem_key', '=', key)
    .where('owner', '=', owner)
    .execute();
}

/** Frees a key whose attempt wrote nothing (it failed before its write committed). */
export async function releaseIdempotencyKey(
  db: DbOrTx,
  callerId: string,
  key: string,
  owner: string,
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('caller_id', '=', callerId)
    .where('idem_key', '=', key)
    .where('owner', '=', owner)
    .where('state', '=', 'pending')
    .execute();
}

/**
 * Forgets up to `limit` keys created before `before` (clients retry within minutes, not days),
 * with the DEKs of their sealed answers. Returns how many keys went.
 */
export async function deleteIdempotencyKeysBefore(db: DbOrTx, before: number, limit = 1000): Promise<number> {
  const old = await db
    .selectFrom('idempotency_keys')
    .select(['caller_id', 'idem_key', 'owner'])
    .where('created_at', '<', before)
    .limit(limit)
    .execute();
  if (old.length === 0) return 0;
  const owners = old.map((r) => r.owner);
  await db
    .deleteFrom('data_keys')
    .where('owner_table', '=', ANSWER_TABLE)
    .where('owner_id', 'in', owners)
    .execute();
  await db.deleteFrom('idempotency_keys').where('owner', 'in', owners).execute();
  return old.length;
}

/** The data_keys owner_table of sealed answers (owner_id: the attempt's owner token). */
export const ANSWER_TABLE = 'idempotency_keys';

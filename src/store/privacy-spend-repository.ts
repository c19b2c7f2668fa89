import { PostgresAdapter } from 'kysely';
import type { DbOrTx } from './database.js';

/**
 * The hospital's ledger of privacy spend (`analytics_privacy_spends`) and the one row a spend
 * locks. Epsilon is in integer thousandths throughout.
 */

const isPostgres = (db: DbOrTx): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** A time window [from, to), epoch ms. */
export interface SpendWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * Locks the hospital's budget for the rest of the transaction: `SELECT … FOR UPDATE` of its one
 * row on PostgreSQL (created if missing); on SQLite the IMMEDIATE transaction already holds the
 * database's write lock. Every spend of every analyst then checks and records one after the other.
 */
export async function lockHospitalBudget(tx: DbOrTx, now: number): Promise<void> {
  await tx
    .insertInto('analytics_privacy_lock')
    .values({ name: 'hospital', created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const query = tx.selectFrom('analytics_privacy_lock').select('name').where('name', '=', 'hospital');
  await (isPostgres(tx) ? query.forUpdate() : query).executeTakeFirstOrThrow();
}

/** Epsilon spent in the window by the whole hospital, or by one analyst. */
export async function spentInWindow(db: DbOrTx, window: SpendWindow, analystId?: string): Promise<number> {
  let query = db
    .selectFrom('analytics_privacy_spends')
    .select((eb) => eb.fn.sum<string | number | null>('epsilon_milli').as('total'))
    .where('spent_at', '>=', window.from)
    .where('spent_at', '<', window.to);
  if (analystId !== undefined) query = query.where('analyst_id', '=', analystId);
  const row = await query.executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** What one analyst spent in a window. */
export interface AnalystSpendRow {
  readonly analystId: string;
  /** The account's display name (null for an account no longer in `users`). */
  readonly displayName: string | null;
  readonly username: string | null;
  readonly spentMilli: number;
  readonly queries: number;
  readonly lastSpentAt: number;
}

/** Each analyst's spend in the window, largest first. */
export async function spendByAnalyst(db: DbOrTx, window: SpendWindow): Promise<AnalystSpendRow[]> {
  const rows = await db
    .selectFrom('analytics_privacy_spends as s')
    .leftJoin('users as u', 'u.id', 's.analyst_id')
    .select((eb) => [
      's.analyst_id',
      eb.fn.max('u.display_name').as('display_name'),
      eb.fn.max('u.username').as('username'),
      eb.fn.sum<string | number>('s.epsilon_milli').as('spent'),
      eb.fn.countAll<string | number>().as('queries'),
      eb.fn.max('s.spent_at').as('last'),
    ])
    .where('s.spent_at', '>=', window.from)
    .where('s.spent_at', '<', window.to)
    .groupBy('s.analyst_id')
    .execute();
  return rows
    .map((r) => ({
      analystId: r.analyst_id,
      displayName: r.display_name ?? null,
      username: r.username ?? null,
      spentMilli: Number(r.spent),
      queries: Number(r.queries),
      lastSpentAt: Number(r.last),
    }))
    .sort((a, b) => b.spentMilli - a.spentMilli || a.analystId.localeCompare(b.analystId));
}

export async function insertSpend(
  tx: DbOrTx,
  row: { id: string; analystId: string; epsilonMilli: number; spentAt: number; ledgerSeq: number },
): Promise<void> {
  await tx
    .insertInto('analytics_privacy_spends')
    .values({
      id: row.id,
      analyst_id: row.analystId,
      epsilon_milli: row.epsilonMilli,
      spent_at: row.spentAt,
      ledger_seq: row.ledgerSeq,
    })
    .execute();
}

import type { DbOrTx } from './database.js';

/** Epsilon (thousandths) added to the window starting at `windowStart` by approved raises. */
export async function raisedInWindow(db: DbOrTx, windowStart: number): Promise<number> {
  const row = await db
    .selectFrom('analytics_budget_raises')
    .select((eb) => eb.fn.sum<string | number | null>('epsilon_milli').as('total'))
    .where('window_start', '=', windowStart)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** Records an approved raise for one window (one per approval). */
export async function insertBudgetRaise(
  db: DbOrTx,
  r: { id: string; windowStart: number; epsilonMilli: number; approvalId: string; now: number },
): Promise<void> {
  await db
    .insertInto('analytics_budget_raises')
    .values({
      id: r.id,
      window_start: r.windowStart,
      epsilon_milli: r.epsilonMilli,
      approval_id: r.approvalId,
      created_at: r.now,
    })
    .execute();
}

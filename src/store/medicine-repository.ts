import { sql } from 'kysely';
import type { DbOrTx } from './database.js';

/** One catalog entry. */
export interface MedicineRow {
  readonly id: string;
  readonly genericName: string;
  readonly strength: string;
  readonly form: string;
  readonly route: string;
  readonly schedule: string | null;
}

type Raw = {
  id: string;
  generic_name: string;
  strength: string;
  form: string;
  route: string;
  schedule: string | null;
};

const COLUMNS = ['id', 'generic_name', 'strength', 'form', 'route', 'schedule'] as const;

const toMedicine = (r: Raw): MedicineRow => ({
  id: r.id,
  genericName: r.generic_name,
  strength: r.strength,
  form: r.form,
  route: r.route,
  schedule: r.schedule,
});

/**
 * Inserts the catalog entries that are missing (by id) and leaves existing ones alone, so every
 * server process may run it at start-up, concurrently, any number of times.
 * @returns how many rows were inserted.
 */
export async function insertMissingMedicines(db: DbOrTx, rows: readonly MedicineRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('medicines')
    .values(
      rows.map((m) => ({
        id: m.id,
        generic_name: m.genericName,
        strength: m.strength,
        form: m.form,
        route: m.route,
        schedule: m.schedule,
        search_name: m.genericName.toLowerCase(),
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

export async function countMedicines(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('medicines')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findMedicine(db: DbOrTx, id: string): Promise<MedicineRow | undefined> {
  const row = await db.selectFrom('medicines').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toMedicine(row);
}

/**
 * Medicines whose generic name contains `query` (case-insensitive; `%`, `_` and `\` match
 * literally), names starting with it first, then alphabetically. An empty query lists from the top.
 */
export async function searchMedicines(db: DbOrTx, query: string, limit: number): Promise<MedicineRow[]> {
  const q = query.toLowerCase();
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .selectFrom('medicines')
    .select(COLUMNS)
    .where(sql<boolean>`search_name like ${`%${escaped}%`} escape '\\'`)
    .orderBy(sql`case when search_name like ${`${escaped}%`} escape '\\' then 0 else 1 end`)
    .orderBy('generic_name')
    .orderBy('strength')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toMedicine);
}

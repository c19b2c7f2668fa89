import { classesOf, ingredientsOf, type DrugClass } from '../../contract/vocabulary/drug-classes.js';
import { MAX_MEDICINE_QUERY } from '../../contract/vocabulary/medicines.js';
import { DEFAULT_MEDICINE_RESULTS, MAX_MEDICINE_RESULTS } from '../../contract/vocabulary/paging.js';
import type { DbOrTx } from '../../store/database.js';
import {
  insertMissingMedicines,
  searchMedicines,
  type MedicineRow,
} from '../../store/medicine-repository.js';
import type { AccessScope } from '../access/index.js';
import { invalidInput } from '../errors.js';
import { MEDICINE_CATALOG } from './medicine-catalog.js';

/** A catalogue entry with what the prescribing checks know of it: ingredients and drug classes. */
export interface Medicine extends MedicineRow {
  readonly ingredients: string[];
  readonly classes: DrugClass[];
}

/** The entry with its ingredients (from the generic name) and their classes. */
export function withIngredients(row: MedicineRow): Medicine {
  const ingredients = ingredientsOf(row.genericName);
  return { ...row, ingredients, classes: classesOf(ingredients) };
}

export { MAX_MEDICINE_QUERY, MAX_MEDICINE_RESULTS };

/** The medicines catalog: seeded from medicine-catalog.ts, searched by doctors and pharmacists. */
export class Medicines {
  constructor(private readonly db: DbOrTx) {}

  /**
   * Inserts catalog entries the database lacks (idempotent; safe from several processes at
   * once). Called at start-up, so adding an entry to the catalog file needs no migration.
   */
  async seedCatalog(): Promise<number> {
    return insertMissingMedicines(this.db, MEDICINE_CATALOG);
  }

  /** Entries whose generic name contains `query` (case-insensitive); names starting with it first. */
  async search(scope: AccessScope, query = '', limit = DEFAULT_MEDICINE_RESULTS): Promise<Medicine[]> {
    scope.require('medicines.read');
    const q = query.trim();
    if (q.length > MAX_MEDICINE_QUERY)
      throw invalidInput(`q must be at most ${MAX_MEDICINE_QUERY} characters.`);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_MEDICINE_RESULTS)
      throw invalidInput(`limit must be 1..${MAX_MEDICINE_RESULTS}.`);
    return (await searchMedicines(this.db, q, limit)).map(withIngredients);
  }
}

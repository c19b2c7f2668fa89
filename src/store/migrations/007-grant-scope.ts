import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Grants carry a scope: 'read' or 'read_write' (src/contract/vocabulary/grant-scopes.ts). Every
 * grant made before this migration was meant for reading, so the column defaults to 'read':
 * existing grants stay read-only, and writing needs a grant the patient made for writing.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('grants')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('read'))
    .execute();
}

import { sql, type ColumnBuilderCallback, type ColumnDataType, type Expression } from 'kysely';

type DataTypeExpression = ColumnDataType | Expression<unknown>;
import type { DialectName } from '../database.js';

/** Column types that differ between SQLite and PostgreSQL, handed to every migration. */
export interface MigrationContext {
  readonly dialect: DialectName;
  /** BLOB on SQLite, BYTEA on PostgreSQL. */
  readonly binary: DataTypeExpression;
  /** An auto-incrementing integer primary key. */
  readonly id: { readonly type: DataTypeExpression; readonly build: ColumnBuilderCallback };
}

export function migrationContext(dialect: DialectName): MigrationContext {
  return dialect === 'postgres'
    ? {
        dialect,
        binary: sql`bytea`,
        id: { type: 'bigint', build: (c) => c.primaryKey().generatedAlwaysAsIdentity() },
      }
    : {
        dialect,
        binary: 'blob',
        id: { type: 'integer', build: (c) => c.primaryKey().autoIncrement() },
      };
}

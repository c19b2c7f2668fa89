import pg from 'pg';
import { PostgresDialect } from 'kysely';

// int8 (bigint) columns hold epoch milliseconds and row ids, all below 2^53: read them as numbers.
const INT8_OID = 20;

/** A PostgreSQL dialect over a pg pool. */
export function createPostgresDialect(
  url: string,
  maxConnections = 10,
): { dialect: PostgresDialect; pool: pg.Pool } {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary'
        ? (value: string) => Number(value)
        : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, types });
  return { dialect: new PostgresDialect({ pool }), pool };
}

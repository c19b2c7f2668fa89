import pg from 'pg';
import { PostgresDialect } from 'kysely';

// int8 (bigint) columns hold epoch milliseconds and row ids, all below 2^53: read them as numbers.
const INT8_OID = 20;

/**
 * Told when an idle pooled connection dies (PostgreSQL restarted, `pg_terminate_backend`). The
 * pool drops that connection and opens a fresh one on the next query; without a listener the
 * pool's `error` event would end the process.
 */
export type ConnectionLost = (err: Error) => void;

/** A PostgreSQL dialect over a pg pool. */
export function createPostgresDialect(
  url: string,
  maxConnections = 10,
  onConnectionLost: ConnectionLost = reportConnectionLost,
): { dialect: PostgresDialect; pool: pg.Pool } {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary'
        ? (value: string) => Number(value)
        : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, types });
  pool.on('error', onConnectionLost);
  // A connection that dies while checked out (between two statements of a transaction) emits
  // `error` on its client, where the pool listens only while it is idle: without this listener
  // that is an uncaught exception, ending the process. The request using it fails on its next
  // statement (503 `unavailable`) and the pool discards the dead client when it is released.
  pool.on('connect', (client) => client.on('error', ignoreCheckedOutLoss));
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** Idle clients' losses reach `onConnectionLost` through the pool; a busy one's, its request. */
function ignoreCheckedOutLoss(): void {}

/** The default: one line on stderr naming the SQLSTATE (the message holds no data, only the cause). */
function reportConnectionLost(err: Error): void {
  const code = (err as { code?: unknown }).code;
  process.stderr.write(
    `medvault: a PostgreSQL connection was lost (${typeof code === 'string' ? `${code}: ` : ''}${err.message}); the pool opens a new one on the next query\n`,
  );
}

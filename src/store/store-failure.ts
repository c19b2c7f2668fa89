/**
 * What a database error says about the database itself, on either dialect, as opposed to a bug
 * or a refused statement:
 * - `unavailable`: the connection was lost or refused (PostgreSQL restarted, a backend
 *   terminated, the server unreachable, SQLite busy past its timeout). A retry shortly after
 *   may succeed; nothing was committed by the failed statement.
 * - `storage_full`: the database has no room to write (SQLite `SQLITE_FULL`, PostgreSQL 53100).
 * Anything else is `undefined`: a bug, reported as one.
 */
export type StoreFailure = 'unavailable' | 'storage_full';

/** SQLSTATEs that mean the connection, not the statement, failed (class 08, and 57P01–57P03). */
const PG_CONNECTION_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors from the driver when the database host or port does not answer. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
/** node-postgres reports a connection that died under it with these messages and no code. */
const PG_LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

export function storeFailureOf(err: unknown): StoreFailure | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === '53100' || code === 'SQLITE_FULL') return 'storage_full';
    if (code.startsWith('08') && code.length === 5) return 'unavailable';
    if (PG_CONNECTION_STATES.has(code) || SOCKET_CODES.has(code)) return 'unavailable';
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_IOERR')) return 'unavailable';
    return undefined;
  }
  return PG_LOST_CONNECTION.test(err.message) ? 'unavailable' : undefined;
}

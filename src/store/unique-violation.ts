/**
 * Whether a database error is a unique or primary-key violation, on either dialect: SQLite
 * (better-sqlite3 `SQLITE_CONSTRAINT_UNIQUE` / `_PRIMARYKEY`) or PostgreSQL (SQLSTATE 23505).
 * Services turn it into a 409 when two writers race past their own existence check.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

import fs from 'node:fs';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';

/**
 * SQLite for Kysely, tuned for MedVault:
 * - transactions begin IMMEDIATE, so a writer takes the database's write lock up front and two
 *   processes (a server and a CLI command) queue on busy_timeout instead of failing when a read
 *   transaction tries to upgrade (SQLITE_BUSY_SNAPSHOT);
 * - prepared statements are cached, since Kysely prepares each query anew.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    cfg: SqliteDialectConfig,
    private readonly raw: Database.Database,
  ) {
    super(cfg);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * SQLite ends the transaction itself on some errors (SQLITE_FULL: the disk is full); a ROLLBACK
   * then fails with "no transaction is active", which would hide the real error (a clear 503
   * `storage_full`) behind a 500.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.raw.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

class MedVaultSqliteDialect extends SqliteDialect {
  constructor(
    private readonly cfg: SqliteDialectConfig,
    private readonly raw: Database.Database,
  ) {
    super(cfg);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.cfg, this.raw);
  }
}

const STATEMENT_CACHE_SIZE = 256;

function withStatementCache(db: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare: (sql: string): SqliteStatement => {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = db.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/** The files SQLite keeps for a database in WAL mode: the database, its log and its shared index. */
const sqliteFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];

/**
 * Owner-only (0600) for every file of the database, whatever the umask. The database file is
 * created 0600 before SQLite opens it, and SQLite gives the `-wal` and `-shm` files it creates
 * the database file's mode; files left by an older version with a wider mode are narrowed.
 */
function restrictModes(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of sqliteFiles(file)) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Opens (creating if needed) a SQLite file in WAL mode and returns its Kysely dialect. The
 * database, `-wal` and `-shm` files are readable and writable by the owner only.
 */
export function createSqliteDialect(file: string): { dialect: SqliteDialect; raw: Database.Database } {
  restrictModes(file);
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  restrictModes(file);
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  return { dialect: new MedVaultSqliteDialect({ database: withStatementCache(raw) }, raw), raw };
}

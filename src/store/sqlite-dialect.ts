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
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class MedVaultSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: SqliteDialectConfig) {
    super(cfg);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.cfg);
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

/** Opens (creating if needed) a SQLite file in WAL mode and returns its Kysely dialect. */
export function createSqliteDialect(file: string): { dialect: SqliteDialect; raw: Database.Database } {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  return { dialect: new MedVaultSqliteDialect({ database: withStatementCache(raw) }), raw };
}

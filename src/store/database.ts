import fs from 'node:fs';
import path from 'node:path';
import { Kysely, sql, type Transaction } from 'kysely';
import type { Schema } from './schema.js';
import { createSqliteDialect } from './sqlite-dialect.js';
import { createPostgresDialect, type ConnectionLost } from './postgres-dialect.js';
import { postgresRawQuery, registerRawQuery, sqliteRawQuery } from './raw-query.js';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<Schema>;
export type Tx = Transaction<Schema>;
/** Either the database or an open transaction: repositories accept both. */
export type DbOrTx = Kysely<Schema>;

export interface Store {
  readonly db: Db;
  readonly dialect: DialectName;
  /** Where the data lives, for messages: the SQLite file or the PostgreSQL host/database. */
  readonly location: string;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  /** PostgreSQL: the connection pool's use now (for /metrics); SQLite has one connection, no pool. */
  readonly poolStats?: () => PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open, idle among them, and queries waiting for one. */
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number;
}

export interface StoreOptions {
  /** postgres://… for PostgreSQL; otherwise SQLite at `<dataDir>/medvault.db`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  readonly maxConnections?: number;
  /** PostgreSQL: told when an idle connection dies (default: one line on stderr); never fatal. */
  readonly onConnectionLost?: ConnectionLost;
}

export const SQLITE_FILE_NAME = 'medvault.db';

/** Opens the store without migrating it (see migrate.ts). */
export function openStore(options: StoreOptions): Store {
  if (options.databaseUrl !== undefined) {
    const { dialect, pool } = createPostgresDialect(
      options.databaseUrl,
      options.maxConnections,
      options.onConnectionLost,
    );
    const db = new Kysely<Schema>({ dialect });
    registerRawQuery(db, postgresRawQuery(pool));
    const url = new URL(options.databaseUrl);
    return {
      db,
      dialect: 'postgres',
      location: `postgresql://${url.host}${url.pathname}`,
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      poolStats: () => ({
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
        max: pool.options.max ?? 10,
      }),
      close: async () => {
        await db.destroy();
        // pool.end() is called by Kysely's destroy; keep the reference for clarity.
        void pool;
      },
    };
  }
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dataDir, SQLITE_FILE_NAME);
  const { dialect, raw } = createSqliteDialect(file);
  const db = new Kysely<Schema>({ dialect });
  registerRawQuery(db, sqliteRawQuery(db, raw));
  return {
    db,
    dialect: 'sqlite',
    location: file,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * Runs `fn` in one database transaction: it commits when `fn` resolves and rolls back when it
 * throws. On SQLite the transaction begins IMMEDIATE (it holds the write lock throughout).
 */
export function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return db.transaction().execute(fn);
}

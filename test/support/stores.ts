import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/config.js';
import { openStore, type DialectName, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

/**
 * The databases the store tests run on: SQLite always, PostgreSQL when
 * MEDVAULT_TEST_DATABASE_URL is set (then an unreachable server fails the tests, never skips).
 * Each opened store is isolated: a fresh SQLite folder, or a fresh PostgreSQL schema.
 */
export interface TestStore {
  readonly store: Store;
  readonly dataDir: string;
  /** The URL to reach the same data from another process (PostgreSQL only). */
  readonly databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

export const PG_URL = process.env.MEDVAULT_TEST_DATABASE_URL;
export const DIALECTS: DialectName[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export function tempDir(prefix = 'medvault-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A URL whose connections use `schema` as their search path. */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export async function createTestStore(
  dialect: DialectName,
  options: { migrate?: boolean } = {},
): Promise<TestStore> {
  const dataDir = tempDir();
  let databaseUrl: string | undefined;
  let dropSchema = async (): Promise<void> => {};
  if (dialect === 'postgres') {
    if (!PG_URL) throw new Error('MEDVAULT_TEST_DATABASE_URL is not set');
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    databaseUrl = urlWithSchema(PG_URL, schema);
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    };
  }
  const store = openStore({ databaseUrl, dataDir });
  let disposed = false;
  if (options.migrate !== false) await migrateToLatest(store);
  return {
    store,
    dataDir,
    databaseUrl,
    dispose: async () => {
      // Idempotent: an afterEach may dispose a store an earlier test already disposed.
      if (disposed) return;
      disposed = true;
      await store.close();
      await dropSchema();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An empty place to open or restore a hospital into: a data folder with no files, and a fresh
 * PostgreSQL schema on PostgreSQL, configured with `keyEnv` as the keyring's root (a master key,
 * or MEDVAULT_PKCS11_* settings).
 */
export async function emptyTarget(
  dialect: DialectName,
  keyEnv: Record<string, string>,
): Promise<{ config: Config; t: TestStore }> {
  const t = await createTestStore(dialect, { migrate: false });
  await t.store.close();
  // Opening a SQLite store creates its file: an empty target has none.
  for (const f of fs.readdirSync(t.dataDir)) fs.rmSync(path.join(t.dataDir, f));
  const config = loadConfig({
    MEDVAULT_DATA_DIR: t.dataDir,
    LOG_LEVEL: 'silent',
    ...keyEnv,
    ...(t.databaseUrl === undefined ? {} : { DATABASE_URL: t.databaseUrl }),
  });
  return { config, t };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../src/store/database.js';

/** A database for one benchmark: a fresh SQLite folder or a fresh PostgreSQL schema. */
export interface BenchDatabase {
  readonly name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

/** The PostgreSQL server benchmarks use, when one is configured. */
export const BENCH_PG_URL = process.env.MEDVAULT_BENCH_DATABASE_URL ?? process.env.MEDVAULT_TEST_DATABASE_URL;

/**
 * A fresh schema on the benchmark's PostgreSQL: its URL (connections use it as their search path)
 * and how to drop it. Created at once.
 */
export async function benchPostgresSchema(
  prefix = 'bench',
): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  if (!BENCH_PG_URL) return undefined;
  const base = BENCH_PG_URL;
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = async (q: string): Promise<void> => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(q);
    await c.end();
  };
  await admin(`create schema ${schema}`);
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return { url: u.toString(), drop: () => admin(`drop schema if exists ${schema} cascade`) };
}

/** SQLite always; PostgreSQL when MEDVAULT_BENCH_DATABASE_URL or MEDVAULT_TEST_DATABASE_URL is set. */
export async function benchDatabases(): Promise<BenchDatabase[]> {
  const out: BenchDatabase[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-'));
  out.push({
    name: 'sqlite',
    open: async () => openStore({ dataDir: dir }),
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  });
  if (BENCH_PG_URL) {
    let schema: Awaited<ReturnType<typeof benchPostgresSchema>>;
    out.push({
      name: 'postgres',
      open: async () => {
        schema = await benchPostgresSchema();
        return openStore({ databaseUrl: schema?.url, dataDir: dir });
      },
      dispose: async () => schema?.drop(),
    });
  }
  return out;
}

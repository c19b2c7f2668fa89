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

/** SQLite always; PostgreSQL when MEDVAULT_BENCH_DATABASE_URL or MEDVAULT_TEST_DATABASE_URL is set. */
export async function benchDatabases(): Promise<BenchDatabase[]> {
  const out: BenchDatabase[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-'));
  out.push({
    name: 'sqlite',
    open: async () => openStore({ dataDir: dir }),
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  });
  const url = process.env.MEDVAULT_BENCH_DATABASE_URL ?? process.env.MEDVAULT_TEST_DATABASE_URL;
  if (url) {
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    const admin = async (q: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(q);
      await c.end();
    };
    out.push({
      name: 'postgres',
      open: async () => {
        await admin(`create schema ${schema}`);
        const u = new URL(url);
        u.searchParams.set('options', `-c search_path=${schema}`);
        return openStore({ databaseUrl: u.toString(), dataDir: dir });
      },
      dispose: () => admin(`drop schema if exists ${schema} cascade`),
    });
  }
  return out;
}

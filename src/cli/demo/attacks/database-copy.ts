import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import type { DemoWorld } from '../world.js';
import { createSchema } from '../pg-schema.js';

type Db = DemoWorld['app']['store']['db'];

/** Every base table of the demo's database (SQLite file, or the current PostgreSQL schema). */
export async function tableNames(world: DemoWorld): Promise<string[]> {
  const db = world.app.store.db;
  if (world.app.store.dialect === 'sqlite') {
    const r = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
      db,
    );
    return r.rows.map((x) => x.name);
  }
  const r = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return r.rows.map((x) => x.name);
}

/** The bytes of one cell as a thief would see them: blobs raw, everything else as text. */
function cellBytes(value: unknown): Buffer {
  if (value === null || value === undefined) return Buffer.alloc(0);
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return Buffer.from(String(value));
  return Buffer.from(JSON.stringify(value) ?? '', 'utf8');
}

export interface TableDump {
  readonly table: string;
  readonly rows: ReadonlyArray<Record<string, unknown>>;
  /** Every cell's bytes, 0x00-separated. */
  readonly bytes: Buffer;
}

/** `SELECT *` of every table: what a stolen copy of the database holds. */
export async function dumpTables(world: DemoWorld, db: Db = world.app.store.db): Promise<TableDump[]> {
  const out: TableDump[] = [];
  for (const table of await tableNames(world)) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    const parts: Buffer[] = [];
    for (const row of r.rows) for (const v of Object.values(row)) parts.push(cellBytes(v), Buffer.from([0]));
    out.push({ table, rows: r.rows, bytes: Buffer.concat(parts) });
  }
  return out;
}

/** Every file under the data folder except the master key file: the rest of a stolen disk. */
export function dataFolderFiles(dataDir: string): Array<{ file: string; bytes: Buffer }> {
  const out: Array<{ file: string; bytes: Buffer }> = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name !== 'master.key')
        out.push({ file: path.relative(dataDir, p), bytes: fs.readFileSync(p) });
    }
  };
  if (fs.existsSync(dataDir)) walk(dataDir);
  return out;
}

/** A copy of the database (and the attachment files), without the master key. */
export interface StolenCopy {
  readonly dataDir: string;
  /** The copy's PostgreSQL URL; undefined for SQLite (the copy is `<dataDir>/medvault.db`). */
  readonly databaseUrl: string | undefined;
  /** Deletes the copy's keyring rows, as an attacker replacing it with their own would. */
  deleteKeyring(): Promise<void>;
  dispose(): Promise<void>;
}

function copyDir(from: string, to: string): void {
  if (fs.existsSync(from)) fs.cpSync(from, to, { recursive: true });
}

/**
 * Steals a copy: SQLite `VACUUM INTO` a new folder (a consistent file, WAL included), or on
 * PostgreSQL every table copied into a new schema. The attachment files come along; the
 * master key file does not (it is not in the database, and not in the copy).
 */
export async function stealCopy(world: DemoWorld): Promise<StolenCopy> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-stolen-'));
  copyDir(path.join(world.dataDir, 'attachments'), path.join(dataDir, 'attachments'));
  const removeDir = (): void => fs.rmSync(dataDir, { recursive: true, force: true });
  const db = world.app.store.db;
  if (world.app.store.dialect === 'sqlite') {
    const file = path.join(dataDir, 'medvault.db');
    await sql`vacuum into ${file}`.execute(db);
    return {
      dataDir,
      databaseUrl: undefined,
      deleteKeyring: () => {
        const copyDb = new Database(file);
        try {
          copyDb.exec('delete from keyring_keys');
        } finally {
          copyDb.close();
        }
        return Promise.resolve();
      },
      dispose: () => Promise.resolve(removeDir()),
    };
  }
  const url = world.app.config.databaseUrl;
  if (url === undefined) throw new Error('a PostgreSQL store without a URL');
  const copy = await createSchema(url, 'medvault_stolen');
  const target = new URL(copy.url).searchParams.get('options')?.replace('-c search_path=', '') ?? '';
  const source = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? '';
  for (const table of await tableNames(world)) {
    await sql`create table ${sql.table(`${target}.${table}`)} (like ${sql.table(`${source}.${table}`)} including all)`.execute(
      db,
    );
    await sql`insert into ${sql.table(`${target}.${table}`)} overriding system value select * from ${sql.table(`${source}.${table}`)}`.execute(
      db,
    );
  }
  return {
    dataDir,
    databaseUrl: copy.url,
    deleteKeyring: async () => {
      await sql`delete from ${sql.table(`${target}.keyring_keys`)}`.execute(db);
    },
    dispose: async () => {
      await copy.drop();
      removeDir();
    },
  };
}

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Config } from '../../config/config.js';
import { openStore, SQLITE_FILE_NAME, type Store } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { postgresSchemaEmpty, restorePostgres, type DumpRow } from '../../store/snapshot.js';
import { conflict, invalidInput } from '../errors.js';
import { DATABASE_PART } from './backup-file.js';
import { verifyBackup, type VerifiedBackup, type VerifyProgress } from './read-backup.js';

export interface RestoreProgress extends VerifyProgress {
  /** PostgreSQL: the rows to insert, once verified… */
  readonly onRowsTotal?: (rows: number) => void;
  /** …and the rows inserted so far. */
  readonly onRows?: (rows: number) => void;
}

const ATTACHMENTS = 'attachments';

function hasAttachments(dataDir: string): boolean {
  const dir = path.join(dataDir, ATTACHMENTS);
  return fs.existsSync(dir) && fs.readdirSync(dir).some((n) => n.endsWith('.mves'));
}

/** Refuses any target that is not empty: a restore never merges into or overwrites data. */
async function checkEmpty(config: Config, store: Store | undefined): Promise<void> {
  const notEmpty = (what: string) =>
    conflict(`${what} is not empty: restore fills only an empty data folder or database.`);
  if (hasAttachments(config.dataDir)) throw notEmpty(path.join(config.dataDir, ATTACHMENTS));
  if (store === undefined) {
    if (fs.existsSync(path.join(config.dataDir, SQLITE_FILE_NAME))) throw notEmpty(config.dataDir);
  } else if (!(await postgresSchemaEmpty(store.db))) throw notEmpty(store.location);
}

async function* dumpBatches(file: string): AsyncGenerator<{ table: string; rows: DumpRow[] }> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const { t, r } = JSON.parse(line) as { t: string; r: DumpRow[] };
    yield { table: t, rows: r };
  }
}

async function moveAttachments(work: string, dataDir: string): Promise<void> {
  const from = path.join(work, ATTACHMENTS);
  if (!fs.existsSync(from)) return;
  const to = path.join(dataDir, ATTACHMENTS);
  await fsp.mkdir(to, { recursive: true, mode: 0o700 });
  for (const name of await fsp.readdir(from)) await fsp.copyFile(path.join(from, name), path.join(to, name));
}

/**
 * Restores a backup into the configured data folder (SQLite) or database (PostgreSQL), which must
 * be empty. Everything is verified first (verifyBackup, extracting to a private work folder);
 * only then is anything put in place. The master key is not restored (it was never backed up):
 * the restored data opens with the key, the officers' shares, or the PKCS#11 token it was made
 * under (`masterKey` as for verifyBackup).
 * @throws AppError conflict when the target is not empty; integrity_failure when the backup
 *   does not verify; invalid_input when it is of the other database kind.
 */
export async function restoreBackup(
  config: Config,
  file: string,
  masterKey: Buffer,
  progress: RestoreProgress = {},
): Promise<VerifiedBackup> {
  const dialect = config.databaseUrl === undefined ? 'sqlite' : 'postgres';
  await fsp.mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const store =
    dialect === 'postgres'
      ? openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
      : undefined;
  const work = await fsp.mkdtemp(
    path.join(dialect === 'sqlite' ? config.dataDir : os.tmpdir(), '.medvault-restore-'),
  );
  try {
    await checkEmpty(config, store);
    const verified = await verifyBackup(file, masterKey, { ...progress, extractTo: work });
    if (verified.header.dialect !== dialect)
      throw invalidInput(
        `This is a ${verified.header.dialect} backup; restore it into a ${verified.header.dialect} store.`,
      );
    if (store === undefined) {
      const db = path.join(config.dataDir, SQLITE_FILE_NAME);
      await fsp.rename(path.join(work, DATABASE_PART.sqlite), db);
      await fsp.chmod(db, 0o600);
    } else {
      // The schema as the backup knew it, its rows, then any migration this version adds.
      const last = verified.manifest.migrations.at(-1);
      if (last !== undefined) await migrateToLatest(store, { upTo: last });
      progress.onRowsTotal?.(verified.manifest.rows ?? 0);
      await restorePostgres(store.db, dumpBatches(path.join(work, DATABASE_PART.postgres)), progress.onRows);
      await migrateToLatest(store);
    }
    await moveAttachments(work, config.dataDir);
    return verified;
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
    await store?.close();
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openStore, SQLITE_FILE_NAME } from '../../src/store/database.js';
import { tempDir } from '../support/stores.js';

const sqliteFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];
const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;

/**
 * Issue 15, finding 10: another local account must not read the database or its WAL (which
 * holds recent pages) — even when the process runs under a permissive umask.
 */
describe('SQLite file modes', () => {
  let previousUmask: number;
  beforeEach(() => {
    previousUmask = process.umask(0o000);
  });
  afterEach(() => {
    process.umask(previousUmask);
  });

  it('creates the database, -wal and -shm files 0600 under umask 000', async () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir });
    try {
      await migrateToLatest(store);
      const files = sqliteFiles(path.join(dataDir, SQLITE_FILE_NAME));
      for (const file of files) {
        expect(fs.existsSync(file), file).toBe(true);
        expect(modeOf(file).toString(8), file).toBe('600');
      }
    } finally {
      await store.close();
    }
  });

  it('narrows files an older version left readable by others', async () => {
    const dataDir = tempDir();
    const first = openStore({ dataDir });
    await migrateToLatest(first);
    const files = sqliteFiles(path.join(dataDir, SQLITE_FILE_NAME));
    for (const file of files) if (fs.existsSync(file)) fs.chmodSync(file, 0o644);
    const second = openStore({ dataDir });
    try {
      await second.ping();
      for (const file of files) if (fs.existsSync(file)) expect(modeOf(file).toString(8), file).toBe('600');
      expect(modeOf(files[0]!).toString(8)).toBe('600');
    } finally {
      await second.close();
      await first.close();
    }
  });
});

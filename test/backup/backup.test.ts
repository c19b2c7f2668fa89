import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRestoredLedger,
  createBackup,
  restoreBackup,
  verifyBackup,
} from '../../src/app/backup/index.js';
import { openApp, type AppContext } from '../../src/app/context.js';
import { AppError } from '../../src/app/errors.js';
import type { Config } from '../../src/config/config.js';
import type { Store } from '../../src/store/database.js';
import { seedHospital, type SeedReport } from '../../src/synthetic/seed-hospital.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';
import { readOwnChart } from '../support/patient-chart.js';
import { TEST_MASTER_KEY, TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { DIALECTS, emptyTarget as emptyTargetWith, tempDir, type TestStore } from '../support/stores.js';

const emptyTarget = (dialect: 'sqlite' | 'postgres') =>
  emptyTargetWith(dialect, { MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64 });

/** Every row of every table, canonically ordered (bookkeeping of the migrator left out). */
async function tables(store: Store): Promise<Record<string, string[]>> {
  const names =
    store.dialect === 'sqlite'
      ? (
          await sql<{
            n: string;
          }>`select name as n from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
            store.db,
          )
        ).rows
      : (
          await sql<{
            n: string;
          }>`select table_name as n from information_schema.tables where table_schema = current_schema()`.execute(
            store.db,
          )
        ).rows;
  const out: Record<string, string[]> = {};
  for (const { n } of names) {
    if (n.startsWith('medvault_migrations')) continue;
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(n)}`.execute(store.db)).rows;
    out[n] = rows
      .map((r) =>
        JSON.stringify(Object.entries(r).sort(), (_k, v: unknown) =>
          Buffer.isBuffer(v) ? v.toString('hex') : v,
        ),
      )
      .sort();
  }
  return out;
}

function attachmentFiles(dataDir: string): Record<string, string> {
  const dir = path.join(dataDir, 'attachments');
  const out: Record<string, string> = {};
  for (const n of fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    if (n.endsWith('.mves')) out[n] = fs.readFileSync(path.join(dir, n)).toString('base64');
  return out;
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe.each(DIALECTS)('backup, verify and restore on %s', (dialect) => {
  let source: { config: Config; t: TestStore };
  let app: AppContext;
  let report: SeedReport;
  let file: string;
  const disposers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    source = await emptyTarget(dialect);
    app = await openApp(source.config, CHEAP_COSTS);
    report = await seedHospital(app, {
      seed: 'backup-test',
      patients: 3,
      recordsPerPatient: 4,
      asOf: '2030-01-01',
      images: 2,
      concurrency: 2,
    });
    // A key file beside the data, as many installations have: it must never enter a backup.
    fs.writeFileSync(path.join(source.config.dataDir, 'master.key'), TEST_MASTER_KEY_B64 + '\n', {
      mode: 0o600,
    });
    file = path.join(tempDir(), 'hospital.mvbackup');
    await createBackup(app, file);
  });
  afterAll(async () => {
    await app?.close();
    await source?.t.dispose();
    for (const d of disposers) await d();
  });

  it('restores into an empty target: every table, file, record and X-ray equal; logins work; the ledger verifies', async () => {
    const target = await emptyTarget(dialect);
    disposers.push(() => target.t.dispose());
    const restoredBackup = await restoreBackup(target.config, file, TEST_MASTER_KEY);
    const restored = await openApp(target.config, CHEAP_COSTS);
    try {
      const before = await tables(app.store);
      // The backup added its own ledger entry before the snapshot; entries after it are not in it.
      const after = await tables(restored.store);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const t of Object.keys(before).filter((t) => !t.startsWith('ledger_')))
        expect(after[t], t).toEqual(before[t]);
      expect(attachmentFiles(target.config.dataDir)).toEqual(attachmentFiles(source.config.dataDir));
      // On PostgreSQL the X-rays are rows of attachment_chunks (compared with the tables above).
      expect(Object.keys(attachmentFiles(target.config.dataDir))).toHaveLength(
        dialect === 'postgres' ? 0 : report.attachments,
      );

      // A patient logs in on the restored system and reads every record and X-ray as before.
      const original = await readOwnChart(app, report.patients[0]!);
      expect(original.length).toBeGreaterThan(0);
      expect(await readOwnChart(restored, report.patients[0]!)).toEqual(original);

      const check = await checkRestoredLedger(restored, restoredBackup.manifest.checkpoint!);
      expect(check.message).toMatch(/audit verify passed/);
      expect(check.ok).toBe(true);
    } finally {
      await restored.close();
    }
  });

  it('never contains the master key, in the file or inside it', async () => {
    const raw = fs.readFileSync(file);
    const inside = tempDir();
    await verifyBackup(file, TEST_MASTER_KEY, { extractTo: inside });
    const blobs = [
      raw,
      ...fs
        .readdirSync(inside, { recursive: true, encoding: 'utf8' })
        .map((f) => path.join(inside, f))
        .filter((f) => fs.statSync(f).isFile())
        .map((f) => fs.readFileSync(f)),
    ];
    for (const b of blobs) {
      expect(b.includes(TEST_MASTER_KEY)).toBe(false);
      expect(b.includes(Buffer.from(TEST_MASTER_KEY_B64))).toBe(false);
    }
    expect(
      fs.readdirSync(inside, { recursive: true, encoding: 'utf8' }).some((f) => f.includes('master.key')),
    ).toBe(false);
  });

  it('refuses a backup with one byte changed, in verify and in restore, leaving the target empty', async () => {
    const size = fs.statSync(file).size;
    const header = fs.readFileSync(file).indexOf('"createdAt"');
    for (const at of [header + 13, Math.floor(size / 2), size - 100, size - 1]) {
      const bad = path.join(tempDir(), 'bad.mvbackup');
      const bytes = fs.readFileSync(file);
      bytes[at] = (bytes[at] as number) ^ 0x04;
      fs.writeFileSync(bad, bytes);
      expect((await refusal(verifyBackup(bad, TEST_MASTER_KEY))).code, `byte ${at}`).toBe(
        'integrity_failure',
      );
      const target = await emptyTarget(dialect);
      disposers.push(() => target.t.dispose());
      expect((await refusal(restoreBackup(target.config, bad, TEST_MASTER_KEY))).code).toBe(
        'integrity_failure',
      );
      expect(fs.existsSync(path.join(target.config.dataDir, 'medvault.db'))).toBe(false);
      expect(fs.readdirSync(target.config.dataDir).filter((f) => !f.startsWith('.'))).toEqual([]);
    }
  });

  it('refuses another master key, and a target that is not empty', async () => {
    const other = Buffer.alloc(32, 9);
    expect((await refusal(verifyBackup(file, other))).message).toMatch(/another master key/);
    expect((await refusal(restoreBackup(source.config, file, TEST_MASTER_KEY))).code).toBe('conflict');
  });

  it('taken during a write load, restores to a consistent ledger', async () => {
    let writing = true;
    let written = 0;
    const load = (async () => {
      while (writing) {
        await app.audit.ledger.append(app.store.db, {
          actor: null,
          action: 'audit.checkpoint',
          target: null,
          patientId: null,
          outcome: 'success',
          details: { n: written },
        });
        written++;
        // SQLite answers synchronously: let the backup's timers and steps run between writes.
        await new Promise((r) => setImmediate(r));
      }
    })();
    const during = path.join(tempDir(), 'during.mvbackup');
    await new Promise((r) => setTimeout(r, 50));
    await createBackup(app, during);
    writing = false;
    await load;
    expect(written).toBeGreaterThan(0);
    const target = await emptyTarget(dialect);
    disposers.push(() => target.t.dispose());
    const v = await restoreBackup(target.config, during, TEST_MASTER_KEY);
    const restored = await openApp(target.config, CHEAP_COSTS);
    try {
      expect((await checkRestoredLedger(restored, v.manifest.checkpoint!)).ok).toBe(true);
    } finally {
      await restored.close();
    }
  });
});

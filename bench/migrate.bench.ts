import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../src/app/context.js';
import { moveStore } from '../src/app/store-move/index.js';
import { attachmentStorageFor } from '../src/app/records/index.js';
import { startProgress } from '../src/cli/progress.js';
import { loadConfig } from '../src/config/config.js';
import { copyPlan } from '../src/store/copy-plan.js';
import { openStore, withTransaction } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { insertRows, readRowsAfter, rowBytes, rowKey, type Key } from '../src/store/table-copy.js';
import { seedHospital } from '../src/synthetic/seed-hospital.js';
import { BENCH_PG_URL, benchPostgresSchema } from './databases.js';
import { printTable, time } from './harness.js';

const MB = 1024 * 1024;
const MASTER_KEY = Buffer.alloc(32, 5).toString('base64');
/** Cheap hashing and a small Paillier key: the seeding is not what is measured. */
const CHEAP = {
  argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  paillierBits: 1024,
  limits: { paillierPool: 8 },
} as const;

/**
 * The baseline: the same rows and the same attachment bytes put into an empty migrated schema the
 * plainest way — every table read whole in key order and inserted with multi-row INSERTs in one
 * transaction, every attachment streamed into chunks — no progress state, no proof.
 */
async function rawCopy(
  dataDir: string,
  url: string,
  batchSize: number,
): Promise<{ rows: number; bytes: number; seconds: number }> {
  const source = openStore({ dataDir });
  const target = openStore({ databaseUrl: url, dataDir, maxConnections: 2 });
  try {
    // Not timed: the move's copy phase starts on a migrated schema too.
    await migrateToLatest(target);
    const started = process.hrtime.bigint();
    const plan = (await copyPlan(target.db)).filter((t) => t.name !== 'attachment_chunks');
    let rows = 0;
    let bytes = 0;
    for (const table of plan) {
      await withTransaction(target.db, async (tx) => {
        await tx.deleteFrom(table.name as 'ledger_head').execute();
        let from: Key | undefined;
        for (;;) {
          const batch = await readRowsAfter(source.db, 'sqlite', table, from, batchSize);
          await insertRows(tx, table, batch);
          rows += batch.length;
          bytes += batch.reduce((n, r) => n + rowBytes(r), 0);
          const last = batch.at(-1);
          if (last === undefined || batch.length < batchSize) break;
          from = rowKey(table, last);
        }
      });
    }
    const files = attachmentStorageFor('files', source.db, dataDir);
    const chunks = attachmentStorageFor('database', target.db, dataDir);
    const ids = await source.db.selectFrom('attachments').select('id').execute();
    for (const { id } of ids) {
      const stored = await files.openRead(id);
      if (stored !== undefined) bytes += await chunks.write(id, stored.stream, []);
    }
    return { rows, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } finally {
    await target.close();
    await source.close();
  }
}

/** `npm run bench -- --only migrate`: `store migrate` of a seeded hospital, against a raw bulk copy. */
export async function benchMigrate(options: { patients: number; images: number }): Promise<void> {
  if (!BENCH_PG_URL) {
    process.stdout.write(
      '\n## store migrate: skipped (set MEDVAULT_BENCH_DATABASE_URL or MEDVAULT_TEST_DATABASE_URL)\n',
    );
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-migrate-'));
  const config = loadConfig({
    MEDVAULT_DATA_DIR: dataDir,
    MEDVAULT_MASTER_KEY: MASTER_KEY,
    LOG_LEVEL: 'silent',
  });
  const moveSchema = await benchPostgresSchema('bench_move');
  const rawSchema = await benchPostgresSchema('bench_raw');
  try {
    const app = await openApp(config, CHEAP);
    const bar = startProgress(`seeding ${options.patients} patients`, options.patients);
    try {
      await seedHospital(app, {
        seed: 'bench-migrate',
        patients: options.patients,
        recordsPerPatient: 5,
        asOf: '2026-06-01',
        images: options.images,
        concurrency: 8,
        onProgress: (n) => bar.update(n),
      });
    } finally {
      bar.stop();
      await app.close();
    }
    const batchSize = 1000;
    const raw = await rawCopy(dataDir, rawSchema!.url, batchSize);
    const move = await time(() =>
      moveStore({ source: config, targetUrl: moveSchema!.url, batchSize, sample: 100, open: CHEAP }),
    );
    const r = move.value;
    if (r.status !== 'moved' || !r.ok) throw new Error(`the move did not prove itself: ${JSON.stringify(r)}`);
    const copyBytes = r.copy.bytes + r.copy.attachmentBytes;
    const rawRows = raw.rows / raw.seconds;
    const rawMb = raw.bytes / MB / raw.seconds;
    const copyRows = r.copy.rows / r.copy.seconds;
    const copyMb = copyBytes / MB / r.copy.seconds;
    printTable(
      `store migrate: ${options.patients} patients, ${r.copy.rows.toLocaleString('en-US')} rows, ${r.copy.attachments} X-rays, ${(copyBytes / MB).toFixed(1)} MB (SQLite → PostgreSQL)`,
      ['what', 'seconds', 'rows/s', 'MB/s', 'vs raw'],
      [
        ['raw bulk insert (baseline)', raw.seconds.toFixed(2), rawRows, rawMb.toFixed(2), '1.00'],
        [
          'migrate: copy (batches + state)',
          r.copy.seconds.toFixed(2),
          copyRows,
          copyMb.toFixed(2),
          (copyRows / rawRows).toFixed(2),
        ],
        [
          'migrate: copy + proof (whole command)',
          move.seconds.toFixed(2),
          r.copy.rows / move.seconds,
          (copyBytes / MB / move.seconds).toFixed(2),
          (r.copy.rows / move.seconds / rawRows).toFixed(2),
        ],
      ],
    );
  } finally {
    await moveSchema?.drop();
    await rawSchema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

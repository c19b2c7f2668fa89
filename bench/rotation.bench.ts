import { generateDek, rewrapDek, wrapDek, type EnvelopeContext } from '../src/crypto/envelope.js';
import { Keyring } from '../src/app/keyring.js';
import { rotateKeys } from '../src/app/key-rotation.js';
import { withTransaction, type Store } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { startProgress } from '../src/cli/progress.js';
import { measure, printTable, time } from './harness.js';
import { benchDatabases, type BenchDatabase } from './databases.js';

const ctx = (i: number): EnvelopeContext => ({
  table: 'records',
  rowId: `rec-${i}`,
  patientId: `pat-${i % 997}`,
  field: 'body',
});

/** Fills data_keys with `n` DEKs wrapped by the current KEK, in multi-row inserts. */
async function seedDataKeys(store: Store, keyring: Keyring, n: number): Promise<void> {
  const kek = keyring.currentKek();
  const progress = startProgress(`seeding ${n.toLocaleString('en-US')} data keys`, n);
  const rowsPerInsert = 500;
  for (let done = 0; done < n;) {
    await withTransaction(store.db, async (tx) => {
      for (let k = 0; k < 20 && done < n; k++) {
        const rows = [];
        for (let j = 0; j < rowsPerInsert && done < n; j++, done++) {
          const c = ctx(done);
          rows.push({
            owner_table: c.table,
            owner_id: c.rowId,
            patient_id: c.patientId,
            field: c.field,
            kek_version: kek.version,
            wrapped: wrapDek(generateDek(), c, kek),
            created_at: 0,
          });
        }
        await tx.insertInto('data_keys').values(rows).execute();
      }
    });
    progress.update(done);
  }
  progress.stop();
}

async function rotationRate(db: BenchDatabase, n: number): Promise<number> {
  const store = await db.open();
  try {
    await migrateToLatest(store);
    const keyring = await Keyring.open(store.db, Buffer.alloc(32, 3), store.location);
    await seedDataKeys(store, keyring, n);
    const progress = startProgress(`rotating on ${db.name}`, n);
    const { seconds } = await time(() =>
      rotateKeys(store.db, keyring, { batchSize: 5000, onBatch: (d) => progress.update(d) }),
    );
    progress.stop();
    return n / seconds;
  } finally {
    await store.close();
    await db.dispose();
  }
}

/** DEKs re-wrapped per second by `keys rotate`, against the bare unwrap+wrap in the same run. */
export async function benchRotation(sizes: { sqlite: number; postgres: number }): Promise<void> {
  const kekA = { version: 1, key: Buffer.alloc(32, 1) };
  const kekB = { version: 2, key: Buffer.alloc(32, 2) };
  const c = ctx(1);
  const wrapped = wrapDek(generateDek(), c, kekA);
  const lookup = () => kekA;
  const raw = await measure(() => rewrapDek(wrapped, c, lookup, kekB), 500);
  const rows: Array<Array<string | number>> = [
    ['unwrap+wrap only (baseline)', '-', raw.opsPerSecond, 1, (1e6 / raw.opsPerSecond).toFixed(1)],
  ];
  for (const db of await benchDatabases()) {
    const n = db.name === 'sqlite' ? sizes.sqlite : sizes.postgres;
    const rate = await rotationRate(db, n);
    rows.push([`keys rotate on ${db.name}`, n, rate, rate / raw.opsPerSecond, (1e6 / rate).toFixed(1)]);
    if (db.name === 'sqlite') {
      rows.push([
        `  → 1,000,000 DEKs on sqlite would take`,
        '',
        `${(1e6 / rate).toFixed(1)} s`,
        '',
        'target < 60 s',
      ]);
    }
  }
  printTable('Key rotation: DEKs re-wrapped per second', ['path', 'DEKs', 'DEKs/s', 'ratio', 'µs/DEK'], rows);
}

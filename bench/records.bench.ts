import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessScope } from '../src/app/access/index.js';
import { composeApp } from '../src/app/compose.js';
import { Keyring } from '../src/app/keyring.js';
import { composeRecords, SearchIndex, type RecordCipher } from '../src/app/records/index.js';
import { loadConfig } from '../src/config/config.js';
import type { Store } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { benchDatabases } from './databases.js';
import { insertBenchStaff } from './bench-staff.js';
import { measure, printTable } from './harness.js';

/** The baseline: the same service path with no encryption at all (no DEK row, no AEAD). */
const PLAINTEXT: RecordCipher = {
  newKey: async () => Buffer.alloc(0),
  keyFor: async () => Buffer.alloc(0),
  keysFor: async (_db, contexts) => contexts.map(() => Buffer.alloc(0)),
  seal: (plaintext) => Buffer.from(plaintext),
  open: (payload) => Buffer.from(payload),
};

const LAB = {
  type: 'lab_result',
  title: 'Complete blood count',
  body: {
    panel: 'Complete blood count',
    collectedAt: '2026-11-02',
    analytes: [
      {
        name: 'Haemoglobin',
        value: 13.7,
        unit: 'g/dL',
        referenceLow: 13.5,
        referenceHigh: 17.5,
        flag: 'normal',
      },
      { name: 'White cells', value: 7.2, unit: '10^9/L', referenceLow: 4, referenceHigh: 11, flag: 'normal' },
      { name: 'Platelets', value: 412, unit: '10^9/L', referenceLow: 150, referenceHigh: 400, flag: 'high' },
    ],
  },
  keywords: ['annual check'],
};

const CHEAP_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

async function world(store: Store) {
  await migrateToLatest(store);
  const db = store.db;
  const keyring = await Keyring.open(db, randomBytes(32), store.location);
  const config = loadConfig({ MEDVAULT_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-')) });
  const app = await composeApp(store, keyring, config, { argon2: CHEAP_ARGON2 });
  const staff = (role: 'doctor' | 'registrar'): Promise<AccessScope> => insertBenchStaff(db, role);
  const registrar = await staff('registrar');
  const doctor = await staff('doctor');
  const register = async (): Promise<string> => {
    const ssn = `${randomInt(100, 1000)}-${randomInt(10, 100)}-${randomInt(1000, 10_000)}`;
    const { patientId } = await app.identity.patients.register(registrar, {
      ssn,
      fullName: 'Bench Patient',
      dateOfBirth: '1984-07-19',
      smokingStatus: 'never',
    });
    await app.sharing.careTeams.assign(registrar, patientId, doctor.userId);
    return patientId;
  };
  const search = new SearchIndex(keyring);
  // The records context composed again, with the benchmark's baseline cipher when given (code only).
  const services = (cipher?: RecordCipher) =>
    composeRecords({
      db,
      dataKeys: app.dataKeys,
      audit: app.audit.ledger,
      search,
      dataDir: config.dataDir,
      attachmentStorage: store.dialect === 'postgres' ? 'database' : 'files',
      attachmentLimitBytes: config.attachmentLimitBytes,
      ...(cipher === undefined ? {} : { cipher }),
    });
  const close = async (): Promise<void> => {
    await app.close();
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  };
  return { db, doctor, register, services, search, close };
}

/** Record create and read through the service (validation, policy, crypto, ledger), encrypted vs not. */
async function benchCreateRead(quick: boolean): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  for (const database of await benchDatabases()) {
    const store = await database.open();
    try {
      const w = await world(store);
      const patient = await w.register();
      const ms = quick ? 200 : 1000;
      // Encrypted and baseline alternate for three rounds and each keeps its best, so a burst of
      // load from elsewhere on the machine cannot land on one side only.
      const paths = [
        { label: 'encrypted', records: w.services().records, ids: [] as string[], create: 0, read: 0 },
        {
          label: 'plaintext (baseline)',
          records: w.services(PLAINTEXT).records,
          ids: [] as string[],
          create: 0,
          read: 0,
        },
      ];
      for (let round = 0; round < 3; round++) {
        for (const p of paths) {
          const create = await measure(
            async () => p.ids.push((await p.records.create(w.doctor, patient, LAB)).id),
            ms,
          );
          p.create = Math.max(p.create, create.opsPerSecond);
        }
        for (const p of paths) {
          let i = 0;
          const read = await measure(() => p.records.get(w.doctor, p.ids[i++ % p.ids.length] as string), ms);
          p.read = Math.max(p.read, read.opsPerSecond);
        }
      }
      for (const p of paths) rows.push([database.name, p.label, p.create, p.read]);
      const [enc, base] = rows.slice(-2) as [Array<number>, Array<number>];
      rows.push([
        database.name,
        'encrypted ÷ baseline',
        `${((enc[2]! / base[2]!) * 100).toFixed(0)}%`,
        `${((enc[3]! / base[3]!) * 100).toFixed(0)}%`,
      ]);
      await w.close();
    } finally {
      await store.close();
      await database.dispose();
    }
  }
  printTable(
    'Records: create and read per second (policy + crypto + ledger append); target read ≥ 70% of baseline',
    ['db', 'path', 'create/s', 'read/s'],
    rows,
  );
}

/**
 * Search latency with `records` records and 10 index entries each: the searching doctor reaches
 * 50 patients whose records are real; the rest of the table is other patients' rows (random
 * ciphertext, real-looking tokens drawn from the same vocabulary), which the lookup must skip.
 */
async function benchSearch(quick: boolean): Promise<void> {
  const total = quick ? 10_000 : 100_000;
  const perRecord = 10;
  const [database] = await benchDatabases();
  if (database === undefined) return;
  const store = await database.open();
  try {
    const w = await world(store);
    const { records, search: recordSearch } = w.services();
    const vocabulary = Array.from({ length: 5000 }, (_, i) => `term${i}`);
    const pick = (): string =>
      vocabulary[Math.floor(vocabulary.length * (randomInt(1_000_000) / 1_000_000) ** 2)] as string; // skewed: low ids common
    const mine: string[] = [];
    for (let i = 0; i < 50; i++) mine.push(await w.register());
    const realCount = Math.min(5000, total / 10);
    for (let i = 0; i < realCount; i++) {
      const keywords = Array.from({ length: perRecord - 2 }, pick);
      await records.create(w.doctor, mine[i % mine.length] as string, {
        ...LAB,
        keywords: [...new Set(keywords)],
      });
    }
    // Other patients' rows (200 patients the doctor cannot reach), inserted in bulk.
    const others: string[] = [];
    for (let i = 0; i < 200; i++) others.push(await w.register());
    await store.db.deleteFrom('care_teams').where('patient_id', 'in', others).execute();
    const tokenOf = new Map<string, Buffer>();
    for (const [j, t] of (
      await w.search.tokens(vocabulary.map((term) => ({ field: 'keyword', term })))
    ).entries()) {
      tokenOf.set(vocabulary[j] as string, t);
    }
    const batch = 500;
    for (let done = realCount; done < total; done += batch) {
      const recs = Array.from({ length: Math.min(batch, total - done) }, () => ({
        id: randomUUID(),
        patient_id: others[randomInt(others.length)] as string,
        type: 'lab_result',
        author_id: w.doctor.userId,
        created_at: Date.now() - randomInt(1_000_000_000),
        title_ct: randomBytes(60),
        body_ct: randomBytes(400),
      }));
      await store.db.insertInto('records').values(recs).execute();
      const entries = recs.flatMap((r) =>
        [...new Set(Array.from({ length: perRecord }, pick))].map((k) => ({
          token: tokenOf.get(k) as Buffer,
          patient_id: r.patient_id,
          created_at: r.created_at,
          record_id: r.id,
        })),
      );
      await store.db.insertInto('search_index').values(entries).execute();
    }
    const indexRows = Number(
      (
        await store.db
          .selectFrom('search_index')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const samples: number[] = [];
    for (let i = 0; i < (quick ? 200 : 1000); i++) {
      const keyword = pick();
      const start = process.hrtime.bigint();
      await recordSearch.search(w.doctor, { keyword, limit: 20 });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    samples.sort((a, b) => a - b);
    const q = (p: number): number =>
      samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] as number;
    printTable(
      `Search latency (${database.name}): ${total.toLocaleString('en-US')} records, ${indexRows.toLocaleString('en-US')} index entries, page of 20 with title decryption and a ledger entry per hit; target p99 < 20 ms`,
      ['queries', 'p50 ms', 'p99 ms', 'max ms'],
      [[samples.length, q(0.5), q(0.99), samples[samples.length - 1] as number]],
    );
    await w.close();
  } finally {
    await store.close();
    await database.dispose();
  }
}

export async function benchRecords(options: { quick: boolean }): Promise<void> {
  await benchCreateRead(options.quick);
  await benchSearch(options.quick);
}

import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccessScope } from '../src/app/access/index.js';
import { openApp, type AppContext } from '../src/app/context.js';
import { loadConfig } from '../src/config/config.js';
import { insertBenchStaff } from './bench-staff.js';
import { benchPostgresSchema } from './databases.js';

/**
 * The application world the service-level benchmarks share (fhir, http-schema): SQLite always,
 * PostgreSQL in a fresh schema when configured; each opened with a fresh data folder and master
 * key, a registrar and a doctor inserted directly, and patients registered on the doctor's care
 * team. Costs that are not what these benchmarks measure are lowered: argon2id at its cheapest,
 * and a 1,024-bit Paillier key with a deep obfuscator pool, since every vitals record pays one
 * Paillier encryption (at the production 3,072 bits, once the pool runs dry, an exponentiation
 * of about 30 ms per record made seeding 10,000 Observations take minutes).
 */
export const BENCH_COSTS = {
  argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  paillierBits: 1024,
  limits: { paillierPool: 256 },
} as const;

/** A database to run on: its name, its URL (PostgreSQL) and how to drop it afterwards. */
export interface BenchTarget {
  readonly name: 'sqlite' | 'postgres';
  readonly databaseUrl?: string;
  readonly dispose: () => Promise<void>;
}

/** SQLite, and PostgreSQL (a fresh schema named `<prefix>_…`) when configured. */
export async function benchTargets(prefix: string): Promise<BenchTarget[]> {
  const out: BenchTarget[] = [{ name: 'sqlite', dispose: async () => {} }];
  const schema = await benchPostgresSchema(prefix);
  if (schema !== undefined) out.push({ name: 'postgres', databaseUrl: schema.url, dispose: schema.drop });
  return out;
}

export interface BenchWorld {
  readonly app: AppContext;
  readonly registrar: AccessScope;
  readonly doctor: AccessScope;
  /** A newly registered patient on the doctor's care team: their id. */
  newPatient(): Promise<string>;
  /** Closes the application and removes its data folder (the target is disposed by its owner). */
  close(): Promise<void>;
}

/** Opens the application on `target` with a fresh data folder (`medvault-bench-<label>-…`). */
export async function openBenchWorld(target: BenchTarget, label: string): Promise<BenchWorld> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `medvault-bench-${label}-`));
  const config = loadConfig({
    MEDVAULT_DATA_DIR: dataDir,
    MEDVAULT_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...(target.databaseUrl === undefined ? {} : { DATABASE_URL: target.databaseUrl }),
  });
  const app = await openApp(config, BENCH_COSTS);
  const registrar = await insertBenchStaff(app.store.db, 'registrar');
  const doctor = await insertBenchStaff(app.store.db, 'doctor');
  return {
    app,
    registrar,
    doctor,
    newPatient: async () => {
      const { patientId } = await app.identity.patients.register(registrar, {
        ssn: `${randomInt(100, 1000)}-${randomInt(10, 100)}-${randomInt(1000, 10_000)}`,
        fullName: 'Bench Patient',
        dateOfBirth: '1984-07-19',
        smokingStatus: 'never',
      });
      await app.sharing.careTeams.assign(registrar, patientId, doctor.userId);
      return patientId;
    },
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

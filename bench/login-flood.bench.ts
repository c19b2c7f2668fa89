import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openApp } from '../src/app/context.js';
import { loadConfig, type RawSettings } from '../src/config/config.js';
import { buildServer, listen } from '../src/http/server.js';
import { insertBenchStaff } from './bench-staff.js';
import { printTable } from './harness.js';
import type { LoadJob, LoadResult } from './load-client.js';

/**
 * Issue 15, finding 3: `/healthz` and an authenticated record read (p99 latency, probed at a
 * steady rate of 20/s) on a real server with the production argon2id cost, quiet and then during a flood
 * of logins for unknown SSNs. The load comes from a process of its own (autocannon,
 * bench/load-client.ts); the server runs in this one, idle but for the server.
 *
 * The flood comes from one loopback address, so the per-address credential limit is raised to
 * let it through: it stands for a flood from many addresses (a botnet), which that limit does not
 * stop; the bounded hashing pool must. For comparison, the same flood against the pool unbounded
 * (what the code did before: every login queued on libuv's threadpool).
 */

const run = promisify(execFile);
/**
 * Logins a second in the flood, sent at that rate whatever the answers (an open loop, as a botnet
 * sends): over ten times what this 2-core box hashes (about 6 a second), the burst rate.
 * A closed loop would measure instead how fast the server refuses: every quick 503 would bring
 * the next request at once.
 */
const FLOOD_RATE = 100;
const LOAD_CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-client.js');

interface Variant {
  readonly name: string;
  readonly settings: RawSettings;
}

async function startServer(settings: RawSettings) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-flood-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MEDVAULT_DATA_DIR: dataDir,
    MEDVAULT_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    MEDVAULT_CREDENTIAL_RATE_LIMIT: '100000',
    ...settings,
  });
  // Production argon2id (46 MiB); only the statistics key is small, and its obfuscator pool kept
  // to one, so no background Paillier work runs during the measurement.
  const app = await openApp(config, { paillierBits: 1024, limits: { paillierPool: 1 } });
  const registrar = await insertBenchStaff(app.store.db, 'registrar');
  const doctor = await insertBenchStaff(app.store.db, 'doctor');
  const { patientId } = await app.identity.patients.register(registrar, {
    ssn: `${randomInt(100, 900)}-${randomInt(10, 100)}-${randomInt(1000, 10_000)}`,
    fullName: 'Bench Patient',
    dateOfBirth: '1984-07-19',
    smokingStatus: 'never',
  });
  await app.sharing.careTeams.assign(registrar, patientId, doctor.userId);
  const record = await app.records.records.create(doctor, patientId, {
    type: 'clinical_note',
    title: 'Follow-up visit',
    body: { text: 'Feels better; cough resolved.' },
    keywords: [],
  });
  const { token } = await app.identity.sessions.create(app.store.db, {
    userId: doctor.userId,
    role: 'doctor',
  });
  const server = await buildServer({ config, checkReady: () => app.store.ping(), app, logger: false });
  const url = await listen(server, config);
  return {
    url,
    token,
    recordUrl: `${url}/api/v1/records/${record.id}`,
    close: async () => {
      await server.close();
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function load(jobs: LoadJob[]): Promise<Map<string, LoadResult>> {
  const { stdout } = await run(process.execPath, [LOAD_CLIENT, JSON.stringify(jobs)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const results = JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as LoadResult[];
  return new Map(results.map((r) => [r.name, r]));
}

const count = (r: LoadResult | undefined, status: string): number => r?.statuses[status] ?? 0;

export async function benchLoginFlood(options: { quick: boolean }): Promise<void> {
  const seconds = options.quick ? 5 : 15;
  const cores = os.availableParallelism();
  const variants: Variant[] = [
    { name: `bounded: ${cores} at once, 16 waiting (defaults)`, settings: {} },
    ...(cores > 1
      ? [
          {
            name: `bounded: ${cores - 1} at once, 16 waiting`,
            settings: { MEDVAULT_HASH_CONCURRENCY: String(cores - 1) },
          },
        ]
      : []),
    {
      name: 'unbounded queue (before)',
      settings: {
        MEDVAULT_HASH_CONCURRENCY: process.env.UV_THREADPOOL_SIZE ?? '4',
        MEDVAULT_HASH_QUEUE: '100000',
      },
    },
  ];
  const rows: Array<Array<string | number>> = [];
  const floods: Array<Array<string | number>> = [];
  for (const variant of variants) {
    const s = await startServer(variant.settings);
    try {
      const probes = (): LoadJob[] => [
        { name: 'healthz', kind: 'probe', url: `${s.url}/healthz`, seconds, connections: 1, rate: 20 },
        { name: 'read', kind: 'probe', url: s.recordUrl, seconds, connections: 1, rate: 20, token: s.token },
      ];
      // Warm up (JIT, connections, the first argon2id allocation), then measure quiet and flooded.
      await load(probes().map((j) => ({ ...j, seconds: 2 })));
      const quiet = await load(probes());
      const flood: LoadJob = {
        name: 'flood',
        kind: 'flood',
        url: `${s.url}/api/v1/auth/patient/login`,
        seconds,
        connections: 64,
        rate: FLOOD_RATE,
      };
      const flooded = await load([...probes(), flood]);
      for (const probe of ['healthz', 'read'] as const) {
        const q = quiet.get(probe);
        const f = flooded.get(probe);
        const label = probe === 'healthz' ? 'GET /healthz' : 'GET /records/:id (doctor)';
        rows.push([
          variant.name,
          label,
          q?.p99 ?? NaN,
          f?.p99 ?? NaN,
          `${((f?.p99 ?? NaN) / Math.max(1, q?.p99 ?? NaN)).toFixed(1)}x`,
          f?.max ?? NaN,
          String((f?.errors ?? 0) + (f?.total ?? 0) - count(f, '200')),
        ]);
      }
      const fl = flooded.get('flood');
      floods.push([
        variant.name,
        String(fl?.total ?? 0),
        String(count(fl, '401')),
        String(count(fl, '503')),
        String(count(fl, '429')),
        fl?.p50 ?? NaN,
        fl?.p99 ?? NaN,
      ]);
    } finally {
      await s.close();
    }
  }
  printTable(
    `Login flood: p99 latency (ms) of probes at 20 req/s, quiet vs during ${seconds} s of ${FLOOD_RATE} unknown-SSN logins/s on up to 64 connections (production argon2id, ${cores} cores, 1-min load average ${os.loadavg()[0]!.toFixed(1)} at the end)`,
    ['hashing', 'probe', 'p99 quiet', 'p99 flood', 'ratio', 'max flood', 'probe failures'],
    rows,
  );
  printTable(
    'Login flood: what the flood got (401 = hashed twice and refused; 503 = queue full, answered at once)',
    ['hashing', 'logins sent', '401', '503', '429', 'p50 ms', 'p99 ms'],
    floods,
  );
}

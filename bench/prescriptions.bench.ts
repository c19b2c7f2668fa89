import { execFile } from 'node:child_process';
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  verify,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AccessScope } from '../src/app/access/index.js';
import { openApp, type AppContext } from '../src/app/context.js';
import { signPrescriptionDraft } from '../src/app/prescriptions/offline-signing.js';
import { SignerKeys } from '../src/app/prescriptions/signer-keys.js';
import { loadConfig } from '../src/config/config.js';
import { canonicalJson, type JsonValue } from '../src/contract/canonical-json.js';
import {
  keyIdOf,
  parsePublicKeyPem,
  verifySignature,
  type SignatureAlgorithm,
} from '../src/crypto/signature.js';
import { buildServer, listen } from '../src/http/server.js';
import { insertStaffKey } from '../src/store/staff-key-repository.js';
import { insertBenchStaff } from './bench-staff.js';
import { measure, printTable } from './harness.js';

const run = promisify(execFile);
const ROUNDS = 5;

/** OpenSSL's single-thread verify rates, from `openssl speed -seconds 1 rsa2048 ed25519`. */
async function opensslVerifyRates(): Promise<{ rsa: number; ed25519: number } | undefined> {
  try {
    const { stdout } = await run('openssl', ['speed', '-seconds', '1', 'rsa2048', 'ed25519'], {
      timeout: 60_000,
    });
    const rsa = /rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/.exec(stdout);
    const ed = /\(Ed25519\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/.exec(stdout);
    if (!rsa || !ed) return undefined;
    return { rsa: Number(rsa[2]), ed25519: Number(ed[2]) };
  } catch {
    return undefined;
  }
}

interface KeyCase {
  readonly algorithm: SignatureAlgorithm;
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

function keyCase(algorithm: SignatureAlgorithm): KeyCase {
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  return {
    algorithm,
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

const DRAFT = (patientId: string, prescriberId: string): Record<string, unknown> => ({
  patientId,
  medicine: { id: 'amoxicillin-500mg-capsule', name: 'Amoxicillin', strength: '500 mg', form: 'capsule' },
  dose: '1 capsule',
  route: 'oral',
  frequency: 'three times daily',
  quantity: 21,
  refills: 0,
  instructions: 'Take with water. Finish the course.',
  prescriberId,
});

/**
 * Runs a synchronous `op` for `ms` of wall time and returns operations per CPU-second of this
 * process (user + system). `openssl speed` reports per CPU-second too (its default, unless
 * `-elapsed`), so the two compare even on a machine busy with other work.
 */
function perCpuSecond(op: () => unknown, ms: number): number {
  for (let i = 0; i < 200; i++) op();
  const cpu = process.cpuUsage();
  const end = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  let n = 0;
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 32; i++) op();
    n += 32;
  }
  const used = process.cpuUsage(cpu);
  return n / ((used.user + used.system) / 1e6);
}

/**
 * Signature verifications per CPU-second over a real prescription payload: raw `crypto.verify`
 * with a cached KeyObject, MedVault's `verifySignature` (strict base64 and key checks), and the
 * same through the SignerKeys cache (what dispensing does, minus the database) — against
 * OpenSSL's own verify rate for the same algorithm, measured in this run. Target: within 1.5x.
 */
async function verifyRates(ms: number): Promise<void> {
  const openssl = await opensslVerifyRates();
  const rows: Array<Array<string | number>> = [];
  for (const algorithm of ['rsa-pkcs1-sha256', 'ed25519'] as const) {
    const k = keyCase(algorithm);
    const signed = signPrescriptionDraft(k.privateKeyPem, DRAFT(randomUUID(), randomUUID()));
    const bytes = Buffer.from(canonicalJson(signed.payload as unknown as JsonValue), 'utf8');
    const sig = Buffer.from(signed.signature, 'base64');
    const keyObject: KeyObject = createPublicKey(k.publicKeyPem);
    const parsed = parsePublicKeyPem(k.publicKeyPem);
    const cache = new SignerKeys();
    const keyId = keyIdOf(parsed.spkiDer);
    const raw =
      algorithm === 'ed25519'
        ? () => verify(null, bytes, keyObject, sig)
        : () => verify('sha256', bytes, { key: keyObject, padding: constants.RSA_PKCS1_PADDING }, sig);
    if (!raw()) throw new Error('bench: the signature does not verify');
    // Interleaved rounds, best of each: on a shared machine a single window can land on a burst
    // of someone else's work, and the best round is the closest to the code's own cost.
    const variants = {
      raw,
      ours: () => verifySignature(algorithm, parsed.keyObject, bytes, signed.signature),
      cached: () => cache.parse(keyId, k.publicKeyPem)!.verify(bytes, signed.signature),
    };
    const best = { raw: 0, ours: 0, cached: 0 };
    for (let round = 0; round < ROUNDS; round++)
      for (const name of ['raw', 'ours', 'cached'] as const)
        best[name] = Math.max(best[name], perCpuSecond(variants[name], ms / ROUNDS));
    const { raw: rawRate, ours, cached } = best;
    const ref = openssl === undefined ? undefined : algorithm === 'ed25519' ? openssl.ed25519 : openssl.rsa;
    rows.push([
      algorithm,
      ref ?? 'n/a',
      rawRate,
      ours,
      cached,
      ref === undefined ? 'n/a' : `${(ref / cached).toFixed(2)}x`,
    ]);
  }
  printTable(
    `prescriptions: signature verifications per CPU-second (${bytesNote()}; target: OpenSSL/MedVault ≤ 1.5x)`,
    [
      'algorithm',
      'openssl speed',
      'crypto.verify',
      'verifySignature',
      'prepared (dispense path)',
      'openssl / ours',
    ],
    rows,
  );
}

const bytesNote = (): string => 'one thread, a ~560-byte canonical payload';

/**
 * Dispense requests per second end to end: HTTP over loopback into a real server (session check,
 * re-verification with decryption and key lookup, the compare-and-set, the dispense row and the
 * ledger append in one transaction), one request at a time and 8 in flight, against GET /healthz
 * on the same server as the HTTP floor.
 */
async function dispenseRates(count: number, databaseUrl?: string): Promise<Array<Array<string | number>>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-rx-'));
  const config = loadConfig({
    MEDVAULT_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const app = await openApp(config);
  const server = await buildServer({ config, checkReady: () => app.store.ping(), app, logger: false });
  const url = await listen(server, config);
  try {
    const { doctor, pharmacistToken, patientId, key } = await world(app);
    const ids: string[] = [];
    for (let i = 0; i < count * 2; i++)
      ids.push(
        (
          await app.prescriptions.prescriptions.sign(
            doctor,
            signPrescriptionDraft(key.privateKeyPem, DRAFT(patientId, doctor.userId)),
          )
        ).id,
      );
    const headers = { authorization: `Bearer ${pharmacistToken}` };
    const post = async (id: string): Promise<void> => {
      const res = await fetch(`${url}/api/v1/prescriptions/${id}/dispense`, { method: 'POST', headers });
      if (res.status !== 200) throw new Error(`bench: dispense answered ${res.status} ${await res.text()}`);
    };
    const health = await measure(async () => {
      await (await fetch(`${url}/healthz`)).arrayBuffer();
    }, 1000);
    const serial = await timedRun(ids.slice(0, count), 1, post);
    const parallel = await timedRun(ids.slice(count), 8, post);
    const name = databaseUrl ? 'postgres' : 'sqlite';
    return [
      [name, 'GET /healthz (floor)', 1, health.opsPerSecond],
      [name, 'POST …/dispense', 1, serial],
      [name, 'POST …/dispense', 8, parallel],
    ];
  } finally {
    await server.close();
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs `op` over `items` with `concurrency` in flight; returns operations per second. */
async function timedRun(
  items: string[],
  concurrency: number,
  op: (id: string) => Promise<void>,
): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await op(items[next++]!);
    }),
  );
  return items.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function world(
  app: AppContext,
): Promise<{ doctor: AccessScope; pharmacistToken: string; patientId: string; key: KeyCase }> {
  const db = app.store.db;
  const now = Date.now();
  const staff = (role: 'doctor' | 'pharmacist' | 'registrar'): Promise<AccessScope> =>
    insertBenchStaff(db, role);
  const doctor = await staff('doctor');
  const pharmacist = await staff('pharmacist');
  const registrar = await staff('registrar');
  const key = keyCase('ed25519');
  await insertStaffKey(db, {
    keyId: keyIdOf(parsePublicKeyPem(key.publicKeyPem).spkiDer),
    userId: doctor.userId,
    algorithm: 'ed25519',
    publicKeyPem: key.publicKeyPem,
    now,
  });
  const { patientId } = await app.identity.patients.register(registrar, {
    ssn: '512-44-7391',
    fullName: 'Bench Patient',
    dateOfBirth: '1984-07-19',
    smokingStatus: 'never',
  });
  await app.sharing.careTeams.assign(registrar, patientId, doctor.userId);
  const pharmacistToken = (await app.identity.sessions.create(db, pharmacist)).token;
  return { doctor, pharmacistToken, patientId, key };
}

/** `--only prescriptions`: verification rates against OpenSSL, and dispenses per second. */
export async function benchPrescriptions(opts: { quick: boolean }): Promise<void> {
  process.stdout.write(
    `\nprescriptions: ${os.availableParallelism()} cores, 1-min load average ${os.loadavg()[0]!.toFixed(2)}\n`,
  );
  await verifyRates(opts.quick ? 500 : 2500);
  const count = opts.quick ? 100 : 500;
  const rows = await dispenseRates(count);
  const pgUrl = process.env.MEDVAULT_BENCH_DATABASE_URL ?? process.env.MEDVAULT_TEST_DATABASE_URL;
  if (pgUrl) rows.push(...(await dispenseRates(count, await pgSchemaUrl(pgUrl))));
  printTable(
    `prescriptions: dispenses per second end to end (${count} per row, Ed25519, HTTP over loopback)`,
    ['database', 'request', 'in flight', 'requests/s'],
    rows,
  );
}

/** A fresh schema on the PostgreSQL server, as a URL whose connections use it. */
async function pgSchemaUrl(url: string): Promise<string> {
  const pg = (await import('pg')).default;
  const schema = `bench_rx_${randomUUID().slice(0, 8)}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

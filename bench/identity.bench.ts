import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { AccessScope } from '../src/app/access/index.js';
import { openApp, type AppContext } from '../src/app/context.js';
import type { StaffChallenge } from '../src/app/identity/index.js';
import { loginMessage } from '../src/contract/signing/index.js';
import { randomToken } from '../src/crypto/random-token.js';
import { loadConfig } from '../src/config/config.js';
import { DEFAULT_ARGON2_PARAMS } from '../src/crypto/password-hash.js';
import {
  parsePublicKeyPem,
  signMessage,
  verifySignature,
  type SignatureAlgorithm,
} from '../src/crypto/signature.js';
import { buildServer } from '../src/http/server.js';
import { findStaffKey } from '../src/store/staff-key-repository.js';
import { measure, printTable, rate, timed, type Rate } from './harness.js';

const PATIENT = {
  ssn: '512-44-7391',
  fullName: 'Bench Patient',
  dateOfBirth: '1984-07-19',
  pin: '482915',
  password: 'amber-kettle-orchard-1987',
  smokingStatus: 'never',
} as const;
const STAFF_PASSWORD = 'violet-harbour-lantern-42';

/** Latencies of `n` sequential calls after `warmup` calls: p50, p99, max in milliseconds. */
async function latencies(
  op: () => Promise<unknown>,
  n: number,
  warmup = 200,
): Promise<{ p50: number; p99: number; max: number; mean: number }> {
  for (let i = 0; i < warmup; i++) await op();
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await op();
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  samples.sort();
  const at = (q: number): number => samples[Math.min(n - 1, Math.ceil(q * n) - 1)] ?? NaN;
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  return { p50: at(0.5), p99: at(0.99), max: samples[n - 1] ?? NaN, mean };
}

/** A staff account inserted directly (no key, no password): the registrar who registers patients. */
async function insertRegistrar(app: AppContext): Promise<AccessScope> {
  const id = randomUUID();
  const now = Date.now();
  await app.store.db
    .insertInto('users')
    .values({
      id,
      role: 'registrar',
      username: `registrar.${id.slice(0, 8)}`,
      display_name: 'Bench Registrar',
      status: 'active',
      password_hash: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return AccessScope.following({ userId: id, role: 'registrar' }, Date.now);
}

const fmtMs = (ms: number): string => ms.toFixed(3);
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Logins per second (patients: argon2id-bound; staff: signature plus password) through the real
 * services on a temporary SQLite data folder, and the per-request cost of the session check,
 * each against a baseline measured in the same run.
 */
export async function benchIdentity(opts: { quick: boolean }): Promise<void> {
  const budgetMs = opts.quick ? 1_000 : 4_000;
  const requests = opts.quick ? 1_000 : 5_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-identity-'));
  const config = loadConfig({ MEDVAULT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const app = await openApp(config);
  // Latency tails and wall-clock rates suffer from anything else running; say how busy it was.
  const load = (): string => os.loadavg()[0]!.toFixed(2);
  process.stdout.write(
    `\nidentity: ${os.availableParallelism()} cores, 1-min load average ${load()} at start\n`,
  );
  try {
    const hash = await patientLogins(app, budgetMs);
    const token = await staffLogins(app, budgetMs, hash);
    await sessionOverhead(app, token, requests);
    process.stdout.write(`identity: 1-min load average ${load()} at the end\n`);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Patient logins against a bare argon2id hash; returns the hash rate (the baseline of both logins). */
async function patientLogins(app: AppContext, budgetMs: number): Promise<Rate> {
  const { memoryCost: m, timeCost: t, parallelism: p } = DEFAULT_ARGON2_PARAMS;
  const registrar = await insertRegistrar(app);
  await app.identity.patients.register(registrar, PATIENT);
  const login = { ssn: PATIENT.ssn, pin: PATIENT.pin, password: PATIENT.password };

  const input = Buffer.alloc(32, 7);
  const hash = await rate(
    () =>
      timed(() =>
        argon2.hash(input, {
          type: argon2.argon2id,
          memoryCost: m,
          timeCost: t,
          parallelism: p,
          hashLength: 32,
        }),
      ),
    budgetMs,
  );
  const logins = await rate(() => timed(() => app.identity.patientLogin.login(login)), budgetMs);
  const threads = process.env.UV_THREADPOOL_SIZE ?? '4';
  printTable(
    `Patient logins per second per core (argon2id m=${m} KiB, t=${t}, p=${p}; SQLite; ` +
      `${os.availableParallelism()} cores, UV_THREADPOOL_SIZE=${threads})`,
    ['path', 'n', 'ms/op', 'ops/s (1 at a time)', 'ops per CPU-s', 'ratio (CPU)'],
    [
      ['bare argon2id hash (baseline)', count(hash.n), fmtMs(hash.ms), hash.perSecond, hash.perCpuSecond, 1],
      [
        'patientLogin.login (SSN + PIN + password)',
        count(logins.n),
        fmtMs(logins.ms),
        logins.perSecond,
        logins.perCpuSecond,
        logins.perCpuSecond / hash.perCpuSecond,
      ],
    ],
  );
  process.stdout.write(
    'A patient login verifies two secrets (PIN and password: two argon2id runs), so about 0.5 per\n' +
      'core is expected. The two run at once on libuv worker threads, so one login at a time on a\n' +
      'machine with 2+ cores completes at about the bare hash rate in wall-clock terms; "per CPU-s"\n' +
      '(process CPU time, all threads) is the per-core figure.\n',
  );
  return hash;
}

/** Staff logins for an Ed25519 and an RSA account; returns a session token of the Ed25519 one. */
async function staffLogins(app: AppContext, budgetMs: number, hash: Rate): Promise<string> {
  const rows: Array<Array<string | number>> = [];
  let token = '';
  const message = loginMessage({
    origin: 'medvault:local',
    username: 'bench.ed25519',
    nonce: randomToken(32),
    expiresAt: Date.now(),
  });
  for (const [choice, algorithm] of [
    ['ed25519', 'ed25519'],
    ['rsa', 'rsa-pkcs1-sha256'],
  ] as const satisfies ReadonlyArray<readonly ['ed25519' | 'rsa', SignatureAlgorithm]>) {
    const username = `bench.${choice}`;
    const created = await app.identity.staffAccounts.createAsOperator({
      role: 'doctor',
      username,
      displayName: `Bench ${choice}`,
      password: STAFF_PASSWORD,
      key: { generate: choice },
    });
    const privateKeyPem = created.privateKeyPem!;
    const stored = await findStaffKey(app.store.db, created.keyId);
    if (stored === undefined) throw new Error('key not stored');
    const publicKey = parsePublicKeyPem(stored.publicKeyPem);
    const signature = signMessage(algorithm, privateKeyPem, message);
    const verify = await measure(() => {
      if (!verifySignature(algorithm, publicKey.keyObject, message, signature))
        throw new Error('bad signature');
    }, 500);
    rows.push([
      `bare ${algorithm} verify (baseline)`,
      count(verify.iterations),
      fmtMs(1000 / verify.opsPerSecond),
      verify.opsPerSecond,
      '',
      1,
      '',
    ]);

    const logins = await rate(async () => {
      // The challenge and the login are timed; the client's signing between them is not.
      let challenge: StaffChallenge | undefined;
      const a = await timed(async () => {
        challenge = await app.identity.staffLogin.issueChallenge(username);
      });
      const signed = signMessage(algorithm, privateKeyPem, loginMessage(challenge!.challenge));
      const b = await timed(async () => {
        const result = await app.identity.staffLogin.login({
          username,
          password: STAFF_PASSWORD,
          challengeId: challenge!.challengeId,
          signature: signed,
        });
        if (choice === 'ed25519') token = result.token;
      });
      return { ns: a.ns + b.ns, cpuUs: a.cpuUs + b.cpuUs };
    }, budgetMs);
    rows.push([
      `staffLogin challenge + login, ${algorithm}`,
      count(logins.n),
      fmtMs(logins.ms),
      logins.perSecond,
      logins.perCpuSecond,
      logins.perSecond / verify.opsPerSecond,
      logins.perCpuSecond / hash.perCpuSecond,
    ]);
  }
  printTable(
    'Staff logins per second (challenge + password + signature; SQLite; client signing not timed)',
    ['path', 'n', 'ms/op', 'ops/s (1 at a time)', 'ops per CPU-s', 'ratio to verify', 'ratio to hash (CPU)'],
    [
      [
        'bare argon2id hash (baseline, above)',
        count(hash.n),
        fmtMs(hash.ms),
        hash.perSecond,
        hash.perCpuSecond,
        '',
        1,
      ],
      ...rows,
    ],
  );
  process.stdout.write(
    'A staff login also checks the password (one argon2id run, same parameters as above), so its\n' +
      'rate is set by argon2id, not by the signature: "ratio to verify" (= the share of a login\n' +
      'spent verifying the signature) is tiny, and "ratio to hash" is about 1.\n',
  );
  return token;
}

async function sessionOverhead(app: AppContext, token: string, n: number): Promise<void> {
  const server = await buildServer({
    config: app.config,
    checkReady: () => app.store.ping(),
    app,
    logger: false,
  });
  await server.ready();
  try {
    const bearer = { authorization: `Bearer ${token}` };
    const inject =
      (url: string, headers: Record<string, string> = {}, status = 200) =>
      async (): Promise<void> => {
        const res = await server.inject({ method: 'GET', url, headers });
        if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      };
    const health = await latencies(inject('/healthz'), n);
    const healthAuthed = await latencies(inject('/healthz', bearer), n);
    const me = await latencies(inject('/api/v1/auth/me', bearer), n);
    const meAnon = await latencies(inject('/api/v1/auth/me', {}, 401), n);
    const resolve = await latencies(async () => {
      if ((await app.identity.sessions.resolve(app.store.db, token)) === null)
        throw new Error('session not found');
    }, n);
    const row = (name: string, l: typeof health, target = ''): Array<string | number> => [
      name,
      count(n),
      fmtMs(l.p50),
      fmtMs(l.p99),
      fmtMs(l.max),
      target === '' ? fmtMs(l.p50 - health.p50) : '',
      target,
    ];
    printTable(
      'Session check: in-process latency (Fastify inject, SQLite, sequential)',
      ['request', 'n', 'p50 ms', 'p99 ms', 'max ms', 'p50 − healthz', 'target'],
      [
        row('GET /healthz, no token (baseline)', health),
        row('GET /healthz + Bearer (session resolved)', healthAuthed),
        row('GET /api/v1/auth/me + Bearer', me),
        row('GET /api/v1/auth/me, no token (401)', meAnon),
        row('ctx.sessions.resolve alone', resolve, resolve.p99 < 1 ? 'p99 < 1 ms ✓' : 'p99 < 1 ms ✗'),
      ],
    );
  } finally {
    await server.close();
  }
}

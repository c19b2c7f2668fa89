/**
 * Issue 14, "Benchmarks": enrolment and sign-in with a second factor, per second per core, next
 * to today's password sign-in measured in the same run. Through the real services on a temporary
 * SQLite data folder with the PRODUCTION argon2id cost (the parameters are printed):
 *
 * - enrolment: a registered patient activates with the enrolment code (chooses PIN and password,
 *   gets the recovery code); the registration before it is not timed;
 * - password sign-in (the baseline): SSN + PIN + password, no second factor;
 * - sign-in with TOTP: the first step (answered with a pending token), then the code, computed
 *   by otpauth (an implementation other than the server's) and not timed;
 * - sign-in with a passkey: the first step, the assertion options, then the assertion, made in
 *   process with node:crypto over the same WebAuthn format the browser sends (bench/virtual-
 *   passkey.ts; not timed) and verified by @simplewebauthn/server as for Chromium.
 *
 * The services read a clock 30 s further for each TOTP sign-in, so every one has a fresh code
 * (a code's time step is accepted once per factor).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import { AccessScope } from '../src/app/access/index.js';
import { openApp } from '../src/app/context.js';
import { loadConfig } from '../src/config/config.js';
import { DEFAULT_ARGON2_PARAMS } from '../src/crypto/password-hash.js';
import { startProgress } from '../src/cli/progress.js';
import { insertBenchStaff } from './bench-staff.js';
import { printTable, timed, type Rate } from './harness.js';
import { VirtualPasskey } from './virtual-passkey.js';

const ORIGIN = 'https://medvault.bench';
const PIN = '482915';
const PASSWORD = 'amber-kettle-orchard-1987';

type Cost = { ns: bigint; cpuUs: number };

/** `n` calls of `op` one at a time (after one warm-up), a progress bar on stderr. */
async function counted(label: string, n: number, op: () => Promise<Cost>): Promise<Rate> {
  await op();
  const progress = startProgress(label, n);
  let ns = 0n;
  let cpuUs = 0;
  for (let i = 0; i < n; i++) {
    const t = await op();
    ns += t.ns;
    cpuUs += t.cpuUs;
    progress.update(i + 1);
  }
  progress.stop();
  const seconds = Number(ns) / 1e9;
  return { n, perSecond: n / seconds, perCpuSecond: n / (cpuUs / 1e6), ms: (seconds * 1000) / n };
}

const plus = (a: Cost, b: Cost): Cost => ({ ns: a.ns + b.ns, cpuUs: a.cpuUs + b.cpuUs });

export async function benchSignin(opts: { quick: boolean }): Promise<void> {
  const n = opts.quick ? 4 : 24;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-signin-'));
  let skew = 0;
  const clock = (): number => Date.now() + skew;
  const config = loadConfig({
    MEDVAULT_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MEDVAULT_SECOND_FACTOR_POLICY: 'optional',
  });
  // Production argon2id (no `argon2` option); only the statistics key is small and its
  // obfuscator pool kept to one, so no background Paillier work runs during the measurement.
  const app = await openApp(config, { clock, paillierBits: 1024, limits: { paillierPool: 1 } });
  const load = (): string => os.loadavg()[0]!.toFixed(2);
  const cores = os.availableParallelism();
  process.stdout.write(`\nsignin: ${cores} cores, 1-min load average ${load()} at start\n`);
  try {
    const registrar = await insertBenchStaff(app.store.db, 'registrar');
    let serial = 0;
    const register = async () => {
      serial++;
      const ssn = `900-${String(10 + Math.floor(serial / 10_000)).padStart(2, '0')}-${String(serial % 10_000).padStart(4, '0')}`;
      const { patientId, enrolmentCode } = await app.identity.patients.register(registrar, {
        ssn,
        fullName: `Bench Patient ${serial}`,
        dateOfBirth: '1984-07-19',
        smokingStatus: 'never',
      });
      return { ssn, patientId, enrolmentCode };
    };
    const enrolled: { ssn: string; patientId: string }[] = [];
    const enrolment = await counted('enrolment (activation)', n, async () => {
      const p = await register(); // not timed: the registrar's part
      const t = await timed(() =>
        app.identity.enrolment.activate({
          ssn: p.ssn,
          enrolmentCode: p.enrolmentCode,
          pin: PIN,
          password: PASSWORD,
        }),
      );
      enrolled.push(p);
      return t;
    });
    const [plain, withTotp, withPasskey] = enrolled as [
      (typeof enrolled)[number],
      (typeof enrolled)[number],
      (typeof enrolled)[number],
    ];
    const creds = (p: { ssn: string }) => ({ ssn: p.ssn, pin: PIN, password: PASSWORD });
    const scopeOf = (p: { patientId: string }) =>
      AccessScope.following({ userId: p.patientId, role: 'patient' }, clock);

    const password = await counted('password sign-in', n, () =>
      timed(async () => {
        const answer = await app.identity.patientLogin.signIn(creds(plain));
        if ('secondFactor' in answer) throw new Error('a second factor was asked of a patient without one');
      }),
    );

    // TOTP: added through the account page's service, confirmed with a first code.
    const setup = await app.identity.secondFactors.beginTotp(scopeOf(withTotp));
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.secret) });
    await app.identity.secondFactors.confirmTotp(
      scopeOf(withTotp),
      setup.factorId,
      totp.generate({ timestamp: clock() }),
    );
    const withCode = await counted('sign-in with TOTP', n, async () => {
      skew += 30_000; // a fresh time step: each code is accepted once
      let pending = '';
      const first = await timed(async () => {
        pending = pendingOf(await app.identity.patientLogin.signIn(creds(withTotp)));
      });
      const code = totp.generate({ timestamp: clock() });
      return plus(first, await timed(() => app.identity.secondFactorLogin.totp(pending, code)));
    });

    // Passkey: registered through the account page's service with the in-process authenticator.
    const passkey = new VirtualPasskey(ORIGIN, withPasskey.patientId);
    const creation = await app.identity.secondFactors.passkeyOptions(scopeOf(withPasskey), ORIGIN);
    await app.identity.secondFactors.registerPasskey(
      scopeOf(withPasskey),
      ORIGIN,
      passkey.register(creation.challenge),
    );
    const withKey = await counted('sign-in with a passkey', n, async () => {
      let pending = '';
      let challenge = '';
      const first = await timed(async () => {
        pending = pendingOf(await app.identity.patientLogin.signIn(creds(withPasskey)));
        challenge = (await app.identity.secondFactorLogin.passkeyOptions(pending, ORIGIN)).challenge;
      });
      const assertion = passkey.assert(challenge);
      return plus(
        first,
        await timed(() => app.identity.secondFactorLogin.passkey(pending, ORIGIN, assertion)),
      );
    });

    const { memoryCost: m, timeCost: t, parallelism: p } = DEFAULT_ARGON2_PARAMS;
    const row = (name: string, r: Rate): Array<string | number> => [
      name,
      String(r.n),
      r.ms.toFixed(1),
      r.perSecond,
      r.perCpuSecond,
      r.perCpuSecond / password.perCpuSecond,
    ];
    printTable(
      `Enrolment and sign-in per second per core (production argon2id m=${m} KiB, t=${t}, p=${p}; ` +
        `SQLite; ${cores} cores, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4'})`,
      ['path', 'n', 'ms/op', 'ops/s (1 at a time)', 'ops per CPU-s', 'ratio to password sign-in (CPU)'],
      [
        row('password sign-in: SSN + PIN + password (baseline)', password),
        row('enrolment: activation with the enrolment code', enrolment),
        row('sign-in with TOTP (first step + code)', withCode),
        row('sign-in with a passkey (first step + options + assertion)', withKey),
      ],
    );
    process.stdout.write(
      `Hashing cost used: argon2id m=${m} KiB, t=${t}, p=${p} (production; tests use 1 MiB). Client work\n` +
        '(the TOTP code, the passkey signature) is not timed. "ops per CPU-s" counts process CPU of all\n' +
        'threads, argon2 workers included: the per-core figure. The second factor adds a pending-token\n' +
        'round and an HMAC or an ECDSA P-256 verification to two argon2id runs, so ratios near 1 are\n' +
        'expected; enrolment also hashes two secrets (PIN and password: argon2id) and keeps keyed HMAC\n' +
        'verifiers of the enrolment and recovery codes.\n',
    );
    process.stdout.write(`signin: 1-min load average ${load()} at the end\n`);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function pendingOf(answer: object): string {
  if (!('secondFactor' in answer)) throw new Error('no second factor was asked');
  return (answer as { secondFactor: { pendingToken: string } }).secondFactor.pendingToken;
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Command } from 'commander';
import { openCliApp } from '../open-app.js';
import { demoKeysDir, writePrivateFile, writeStaffKeyFiles } from '../../synthetic/demo-key-files.js';
import { seedHospital, type SeedReport } from '../../synthetic/seed-hospital.js';
import { startProgress, type Progress } from '../progress.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';
import { nonNegativeInteger, positiveInteger } from './cli-input.js';

interface SeedFlags {
  patients: string;
  recordsPerPatient: string;
  seed?: string;
  images: string;
  concurrency?: string;
  asOf?: string;
}

const MAX_PATIENTS = 1_000_000;
const MAX_RECORDS_PER_PATIENT = 200;

/**
 * `medvault seed`: a synthetic hospital in an empty database (see src/app/demo/). Reproducible
 * with --seed (and --as-of across days); staff key files and the patients' credentials go to
 * `<data dir>/demo-keys/` with mode 0600.
 */
export function registerSeedCommand(program: Command): void {
  withDataFlags(program.command('seed'))
    .description(
      'fill an EMPTY database with a synthetic hospital: staff with key pairs, patients with care teams, ' +
        'records of every type, grants and generated X-ray images (known demo credentials: never on production data)',
    )
    .option('--patients <n>', 'how many patients', '100')
    .option('--records-per-patient <n>', 'records per patient', '5')
    .option(
      '--seed <text>',
      'seed of the generator: the same seed makes the same hospital (default: random, printed)',
    )
    .option('--as-of <date>', 'YYYY-MM-DD that ages and record dates count back from (default: today, UTC)')
    .option('--images <n>', 'chest X-rays that get a generated image', '4')
    .option('--concurrency <n>', 'patients seeded at once (default: twice the hashing threads)')
    .addHelpText(
      'after',
      '\nPassword and PIN hashing (argon2id at production cost, two per patient) dominates.\n' +
        "It runs on libuv's threadpool; the command re-runs itself once with one hashing thread per core\n" +
        '(UV_THREADPOOL_SIZE, at least 4) and glibc malloc thresholds that let each hash reuse its 46 MiB\n' +
        'block (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_); set MALLOC_MMAP_THRESHOLD_ yourself to skip that.',
    )
    .action(runCommand(async (flags: SeedFlags, cmd: Command) => seed(flags, cmd)));
}

/**
 * glibc serves each 46 MiB argon2id block with mmap and returns it with munmap, so every hash
 * page-faults 46 MiB of fresh zeroed pages: measured here, about half of a hash's CPU time was
 * kernel time. With these thresholds the freed block stays in the thread's malloc arena and the
 * next hash reuses it (same argon2 parameters, same work; only the page faults go). They are
 * read by glibc at process start, so the seeder re-runs itself once with them (and with a
 * hashing thread per core), unless the caller set them. Not MedVault settings: process tuning.
 */
const HASH_TUNING: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(128 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(256 * 1024 * 1024),
};

/** Re-runs this command with {@link HASH_TUNING}; resolves with its exit code, or undefined when not needed. */
function rerunTuned(): Promise<number> | undefined {
  if (process.platform !== 'linux' || process.env.MALLOC_MMAP_THRESHOLD_ !== undefined) return undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, ...HASH_TUNING };
  env.UV_THREADPOOL_SIZE ??= String(Math.max(4, os.availableParallelism()));
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env,
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT')).on('SIGTERM', forward('SIGTERM'));
  return new Promise((resolve) =>
    child.on('exit', (code, signal) =>
      resolve(code ?? (signal === null ? 1 : 128 + os.constants.signals[signal])),
    ),
  );
}

async function seed(flags: SeedFlags, cmd: Command): Promise<void> {
  const config = configFrom(cmd);
  const patients = positiveInteger(flags.patients, '--patients');
  const recordsPerPatient = nonNegativeInteger(flags.recordsPerPatient, '--records-per-patient');
  const images = nonNegativeInteger(flags.images, '--images');
  if (patients > MAX_PATIENTS) usage(`--patients expects at most ${MAX_PATIENTS}`);
  if (recordsPerPatient > MAX_RECORDS_PER_PATIENT)
    usage(`--records-per-patient expects at most ${MAX_RECORDS_PER_PATIENT}`);
  const asOf = flags.asOf ?? new Date().toISOString().slice(0, 10);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(asOf) ||
    Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)) ||
    Date.parse(asOf) > Date.now()
  )
    usage('--as-of expects a past or present date YYYY-MM-DD');
  // The flags are good: from here on, run tuned for hashing (once).
  const rerun = rerunTuned();
  if (rerun !== undefined) process.exit(await rerun);
  const seedText = flags.seed ?? randomBytes(8).toString('hex');
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4) || 4;
  const concurrency =
    flags.concurrency === undefined
      ? Math.max(4, 2 * threads)
      : positiveInteger(flags.concurrency, '--concurrency');

  const app = await openCliApp(config);
  const say = (line = ''): boolean => process.stdout.write(line + '\n');
  let progress: Progress | undefined;
  try {
    say(`Seeding a synthetic hospital into ${app.store.location}`);
    say(
      `  ${patients} patients, ${recordsPerPatient} records each, seed ${seedText}, as of ${asOf}; ` +
        `${concurrency} at once on ${os.availableParallelism()} cores (${threads} hashing threads).`,
    );
    say('  Synthetic people with KNOWN credentials: never seed a database that holds real patients.');
    const started = process.hrtime.bigint();
    progress = startProgress('seeding patients', patients);
    const report = await seedHospital(app, {
      seed: seedText,
      patients,
      recordsPerPatient,
      asOf,
      images,
      concurrency,
      onProgress: (done) => progress?.update(done),
    });
    progress.stop();
    progress = undefined;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await printReport(report, config.dataDir, seconds, say);
    say(
      `Reproduce with: medvault seed --patients ${patients} --records-per-patient ${recordsPerPatient} --seed ${seedText} --as-of ${asOf} --images ${images}`,
    );
  } finally {
    progress?.stop();
    await app.close();
  }
}

async function printReport(
  report: SeedReport,
  dataDir: string,
  seconds: number,
  say: (line?: string) => boolean,
): Promise<void> {
  const records = Object.values(report.records).reduce((a, b) => a + b, 0);
  const byType = Object.entries(report.records)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  say(
    `Done in ${seconds.toFixed(1)} s (${(report.patients.length / seconds).toFixed(1)} patients/s): ` +
      `${report.staff.length} staff, ${report.patients.length} patients, ${records} records (${byType}), ` +
      `${report.careTeamAssignments} care-team assignments, ${report.grants} grants, ${report.attachments} X-ray images.`,
  );
  const keyFiles = await writeStaffKeyFiles(dataDir, report.staff);
  const dir = await demoKeysDir(dataDir);
  const csv = [
    'patient_id,ssn,pin,password,full_name,date_of_birth',
    ...report.patients.map((p) =>
      [
        p.patientId,
        p.person.ssn,
        p.person.pin,
        p.person.password,
        p.person.fullName,
        p.person.dateOfBirth,
      ].join(','),
    ),
  ].join('\n');
  const csvFile = await writePrivateFile(dir, 'seed-patients.csv', csv + '\n');
  say('');
  say(`Staff (sign in with username, password and the key file; key files in ${dir}, mode 0600):`);
  const width = Math.max(...report.staff.map((s) => s.username.length));
  for (const s of report.staff)
    say(
      `  ${s.role.padEnd(10)} ${s.username.padEnd(width)}  ${s.password}  ${keyFiles.get(s.username) ?? ''}`,
    );
  say('');
  say(`Patients (sign in with SSN + PIN + password); all of them in ${csvFile} (mode 0600), e.g.:`);
  for (const p of report.patients.slice(0, 3))
    say(
      `  ${p.person.fullName.padEnd(22)} SSN ${p.person.ssn}  PIN ${p.person.pin}  password ${p.person.password}`,
    );
}

function usage(message: string): never {
  process.stderr.write(`medvault: ${message}\n`);
  process.exit(2);
}

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openApp } from '../src/app/context.js';
import { startProgress } from '../src/cli/progress.js';
import { loadConfig } from '../src/config/config.js';
import { seedHospital } from '../src/synthetic/seed-hospital.js';
import { BENCH_PG_URL, benchPostgresSchema } from './databases.js';
import { formatNumber, printTable } from './harness.js';

/**
 * Issue 18's backup figure: `medvault backup` and `medvault restore`, run as an operator runs them
 * (the CLI in a process of its own: start-up, snapshot, encryption and signature; restore's
 * verification, load and ledger check), on a seeded hospital with X-rays — next to the plain tool
 * for the same data in the same run: `cp -a` of the data folder (SQLite), `pg_dump -Fc` and
 * `pg_restore` into an empty database (PostgreSQL). MB/s are all over the same figure, the size of
 * the hospital's data (SQLite: the data folder; PostgreSQL: the schema's tables, indexes and TOAST
 * on disk), so the rates compare; each tool's own output size is printed beside them.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/src/cli/main.js, beside this file's dist/bench/. */
const CLI = path.resolve(here, '../src/cli/main.js');
const MB = 1024 * 1024;
const MASTER_KEY = Buffer.alloc(32, 18).toString('base64');
/** Cheap hashing and a small Paillier key: the seeding is not what is measured. */
const CHEAP = {
  argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  paillierBits: 1024,
  limits: { paillierPool: 64 },
} as const;

interface Run {
  readonly seconds: number;
  readonly stdout: string;
}

/** Runs a program to its end; a non-zero exit is an error naming its output. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve({ seconds, stdout: out });
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code}:\n${out}\n${err}`));
    });
  });
}

/** The CLI with a clean environment of our own: the data folder, the key, the database if any. */
const medvault = (args: string[], dataDir: string, databaseUrl?: string): Promise<Run> => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MEDVAULT_DATA_DIR: dataDir,
    MEDVAULT_MASTER_KEY: MASTER_KEY,
  };
  delete env.DATABASE_URL;
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl;
  return run(process.execPath, [CLI, ...args], env);
};

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return n;
}

async function admin<T extends pg.QueryResultRow>(url: string, q: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(q)).rows;
  } finally {
    await c.end();
  }
}

/** Tables, indexes and TOAST of one schema, on disk. */
async function schemaBytes(url: string, schema: string): Promise<number> {
  const rows = await admin<{ n: string }>(
    url,
    `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as n from pg_class c
       where c.relnamespace = '${schema}'::regnamespace and c.relkind in ('r', 'm')`,
  );
  return Number(rows[0]?.n ?? 0);
}

const schemaOf = (url: string): string =>
  /search_path=(\w+)/.exec(new URL(url).searchParams.get('options') ?? '')?.[1] ?? 'public';

async function seed(dataDir: string, databaseUrl: string | undefined, patients: number, images: number) {
  const config = loadConfig({
    MEDVAULT_DATA_DIR: dataDir,
    MEDVAULT_MASTER_KEY: MASTER_KEY,
    LOG_LEVEL: 'silent',
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
  });
  const app = await openApp(config, CHEAP);
  const bar = startProgress(
    `seeding ${patients} patients (${databaseUrl === undefined ? 'sqlite' : 'postgres'})`,
    patients,
  );
  try {
    return await seedHospital(app, {
      seed: 'bench-backup',
      patients,
      recordsPerPatient: 5,
      asOf: '2026-06-01',
      images,
      concurrency: 8,
      onProgress: (n) => bar.update(n),
    });
  } finally {
    bar.stop();
    await app.close();
  }
}

type Row = Array<string | number>;

const row = (
  db: string,
  what: string,
  seconds: number,
  dataBytes: number,
  outBytes: number,
  base: number,
): Row => [
  db,
  what,
  seconds.toFixed(2),
  (dataBytes / MB / seconds).toFixed(1),
  (outBytes / MB).toFixed(1),
  `${(seconds / base).toFixed(2)}x`,
];

/** Best (shortest) of `rounds` runs of `op`, which gets a fresh destination each time. */
async function best(rounds: number, op: (i: number) => Promise<number>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < rounds; i++) min = Math.min(min, await op(i));
  return min;
}

async function benchSqlite(work: string, patients: number, images: number, rounds: number): Promise<Row[]> {
  const dataDir = path.join(work, 'sqlite-data');
  await seed(dataDir, undefined, patients, images);
  const data = folderBytes(dataDir);
  let backupFile = '';
  let copyBytes = 0;
  const copy = await best(rounds, async (i) => {
    const dest = path.join(work, `copy-${i}`);
    const r = await run('cp', ['-a', dataDir, dest]);
    copyBytes = folderBytes(dest);
    fs.rmSync(dest, { recursive: true, force: true });
    return r.seconds;
  });
  const backup = await best(rounds, async (i) => {
    const out = path.join(work, `sqlite-${i}.mvbackup`);
    const r = await medvault(['backup', '--out', out], dataDir);
    if (backupFile !== '') fs.rmSync(backupFile);
    backupFile = out;
    return r.seconds;
  });
  const verify = await best(
    rounds,
    async () => (await medvault(['backup', 'verify', backupFile], dataDir)).seconds,
  );
  const restore = await best(rounds, async (i) => {
    const target = path.join(work, `sqlite-restored-${i}`);
    const r = await medvault(['restore', backupFile], target);
    if (!r.stdout.includes('Restored')) throw new Error(`restore said: ${r.stdout}`);
    fs.rmSync(target, { recursive: true, force: true });
    return r.seconds;
  });
  const startup = await best(rounds, async () => (await medvault(['--help'], dataDir)).seconds);
  const size = fs.statSync(backupFile).size;
  return [
    row('sqlite', 'cp -a data folder (baseline)', copy, data, copyBytes, copy),
    row('sqlite', 'medvault --help (the CLI starting, for scale)', startup, data, 0, copy),
    row('sqlite', 'medvault backup', backup, data, size, copy),
    row('sqlite', 'medvault backup verify', verify, data, size, copy),
    row('sqlite', 'medvault restore (+ ledger check)', restore, data, data, copy),
  ];
}

async function benchPostgres(work: string, patients: number, images: number, rounds: number): Promise<Row[]> {
  const base = BENCH_PG_URL!;
  const source = await benchPostgresSchema('bench_backup');
  const drops: Array<() => Promise<void>> = [];
  try {
    const dataDir = path.join(work, 'pg-data');
    await seed(dataDir, source!.url, patients, images);
    const schema = schemaOf(source!.url);
    const data = await schemaBytes(base, schema);
    const dumpFile = path.join(work, 'pg.dump');
    const dump = await best(rounds, async () => {
      fs.rmSync(dumpFile, { force: true });
      return (await run('pg_dump', ['-Fc', '-n', schema, '-f', dumpFile, base])).seconds;
    });
    const pgRestore = await best(rounds, async (i) => {
      const name = `${schema}_r${i}`;
      await admin(base, `create database ${name}`);
      drops.push(() => admin(base, `drop database if exists ${name}`).then(() => undefined));
      const u = new URL(base);
      u.pathname = `/${name}`;
      return (await run('pg_restore', ['--no-owner', '-d', u.toString(), dumpFile])).seconds;
    });
    let backupFile = '';
    const backup = await best(rounds, async (i) => {
      const out = path.join(work, `pg-${i}.mvbackup`);
      const r = await medvault(['backup', '--out', out], dataDir, source!.url);
      if (backupFile !== '') fs.rmSync(backupFile);
      backupFile = out;
      return r.seconds;
    });
    const verify = await best(
      rounds,
      async () => (await medvault(['backup', 'verify', backupFile], dataDir, source!.url)).seconds,
    );
    const restore = await best(rounds, async (i) => {
      const target = await benchPostgresSchema('bench_restored');
      drops.push(target!.drop);
      const r = await medvault(['restore', backupFile], path.join(work, `pg-restored-${i}`), target!.url);
      if (!r.stdout.includes('Restored')) throw new Error(`restore said: ${r.stdout}`);
      return r.seconds;
    });
    const dumpSize = fs.statSync(dumpFile).size;
    const size = fs.statSync(backupFile).size;
    return [
      row('postgres', 'pg_dump -Fc (baseline)', dump, data, dumpSize, dump),
      row('postgres', 'medvault backup', backup, data, size, dump),
      row('postgres', 'medvault backup verify', verify, data, size, dump),
      row('postgres', 'pg_restore into an empty database (baseline)', pgRestore, data, data, pgRestore),
      row('postgres', 'medvault restore (+ ledger check)', restore, data, data, pgRestore),
    ];
  } finally {
    for (const drop of drops) await drop();
    await source?.drop();
  }
}

/** `npm run bench -- --only backup`. */
export async function benchBackup(options: {
  patients: number;
  images: number;
  rounds: number;
}): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-backup-'));
  try {
    const rows = await benchSqlite(work, options.patients, options.images, options.rounds);
    if (BENCH_PG_URL)
      rows.push(...(await benchPostgres(work, options.patients, options.images, options.rounds)));
    else rows.push(['postgres', 'skipped (set MEDVAULT_BENCH_DATABASE_URL)', '', '', '', '']);
    printTable(
      `Backup and restore: a seeded hospital of ${formatNumber(options.patients)} patients (5 records each, ${options.images} X-rays), best of ${options.rounds}; MB/s over the hospital's data size; ratio = time / the plain tool's`,
      ['database', 'what', 'seconds', 'MB/s', 'output MB', 'time vs plain'],
      rows,
    );
    process.stdout.write(
      `(load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})\n`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

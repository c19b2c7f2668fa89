import { scopeOf } from '../support/scopes.js';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { flagFor } from '../../src/synthetic/synthetic-labs.js';
import { crc32 } from '../../src/synthetic/png-encoder.js';
import {
  planImages,
  planPatient,
  planStaff,
  staffCounts,
  type SeedPlanOptions,
} from '../../src/synthetic/seed-plan.js';
import { SeededRandom } from '../../src/synthetic/seeded-random.js';
import { syntheticSsn } from '../../src/synthetic/synthetic-people.js';
import { chestXrayPng, XRAY_SIZE } from '../../src/synthetic/xray-image.js';
import { LAB_PANELS } from '../../src/synthetic/clinical-catalog.js';
import { validateBody, WRITABLE_RECORD_TYPES } from '../../src/app/records/record-types.js';
import { checkPassword } from '../../src/crypto/password-policy.js';
import { loadConfig } from '../../src/config/config.js';
import { tempDir } from '../support/stores.js';
import { runCli } from '../support/cli.js';

const OPTIONS: SeedPlanOptions = {
  seed: 'vitest-seed',
  patients: 20,
  recordsPerPatient: 5,
  asOf: '2026-11-30',
};

/** The chunks of a PNG, each with its CRC checked. */
function pngChunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(
      crc32(png.subarray(at + 4, at + 8), data),
    );
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

describe('synthetic hospital generators', () => {
  it('are deterministic per seed and differ between seeds', () => {
    const again = { ...OPTIONS };
    expect(planStaff(again)).toEqual(planStaff(OPTIONS));
    for (const i of [0, 7, 19]) expect(planPatient(again, i, 3)).toEqual(planPatient(OPTIONS, i, 3));
    const other = { ...OPTIONS, seed: 'another-seed' };
    expect(planPatient(other, 0, 3).person).not.toEqual(planPatient(OPTIONS, 0, 3).person);
    expect(planStaff(other).map((s) => s.password)).not.toEqual(planStaff(OPTIONS).map((s) => s.password));
    const a = SeededRandom.fromSeed('x');
    const b = SeededRandom.fromSeed('x');
    expect(a.bytes(100)).toEqual(b.bytes(100));
    expect(a.fork('p').bytes(32)).not.toEqual(a.fork('q').bytes(32));
  });

  it('plan valid bodies of every type, lab flags that match the reference ranges, and good secrets', () => {
    const seen = new Set<string>();
    const options = { ...OPTIONS, patients: 200 };
    for (let i = 0; i < options.patients; i++) {
      const plan = planPatient(options, i, 3);
      const { person } = plan;
      expect(checkPassword(person.password, [person.ssn, person.fullName, person.dateOfBirth]).ok).toBe(true);
      expect(person.pin).toMatch(/^\d{6}$/);
      expect(person.dateOfBirth <= options.asOf).toBe(true);
      for (const r of plan.records) {
        seen.add(r.type);
        expect(() => validateBody(r.type, r.body), `${r.type} ${JSON.stringify(r.body)}`).not.toThrow();
        if (r.type === 'lab_result') {
          const panel = LAB_PANELS.find((p) => p.panel === r.body.panel)!;
          for (const analyte of r.body.analytes) {
            const spec = panel.analytes(person.sex).find((s) => s.name === analyte.name)!;
            expect(analyte.flag).toBe(flagFor(spec, analyte.value));
          }
        }
        if (r.type === 'vitals' && r.body.systolic !== undefined && r.body.diastolic !== undefined)
          expect(r.body.diastolic).toBeLessThan(r.body.systolic);
        if (r.type === 'diagnosis') expect(r.body.text.length).toBeGreaterThan(3);
      }
    }
    expect([...seen].sort()).toEqual([...WRITABLE_RECORD_TYPES].sort());
    for (const s of planStaff(options)) expect(checkPassword(s.password, [s.username]).ok).toBe(true);
  });

  it('draws SSNs from the never-issued 900–999 area, unique within a seed', () => {
    const ssns = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const ssn = syntheticSsn(12_345_678, i);
      expect(ssn).toMatch(/^9\d\d-(0[1-9]|[1-9]\d)-(?!0000)\d{4}$/);
      ssns.add(ssn);
    }
    expect(ssns.size).toBe(20_000);
  });

  it('encodes valid grayscale PNG X-rays whose pixels show the findings', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const png = chestXrayPng(
      { consolidation: 'left-lower', cardiomegaly: false, hyperinflation: false },
      SeededRandom.fromSeed('img'),
    );
    expect(png.length).toBeLessThan(100_000);
    const chunks = pngChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([
      XRAY_SIZE,
      XRAY_SIZE,
      8,
      0,
    ]);
    expect(inflateSync(chunks[1]!.data).length).toBe((XRAY_SIZE + 1) * XRAY_SIZE);
    expect(
      chestXrayPng({ cardiomegaly: true, hyperinflation: false }, SeededRandom.fromSeed('img')),
    ).not.toEqual(png);
  });

  it('sizes the staff to the hospital', () => {
    expect(staffCounts(20)).toEqual({ admin: 1, registrar: 1, doctor: 3, pharmacist: 2 });
    expect(staffCounts(10_000)).toEqual({ admin: 1, registrar: 3, doctor: 25, pharmacist: 4 });
  });
});

interface SeededPatientRow {
  patientId: string;
  ssn: string;
  pin: string;
  password: string;
}

const readCsv = (dataDir: string): SeededPatientRow[] =>
  fs
    .readFileSync(path.join(dataDir, 'demo-keys', 'seed-patients.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [patientId, ssn, pin, password] = line.split(',') as [string, string, string, string];
      return { patientId, ssn, pin, password };
    });

/** Everything a patient can read of themself, decrypted, without ids or times. */
async function patientContent(app: AppContext, patientId: string) {
  const actor = { userId: patientId, role: 'patient' as const };
  const demographics = await app.identity.patients.get(scopeOf(actor), patientId);
  const page = await app.records.records.list(scopeOf(actor), patientId, { limit: 100 });
  const records = [];
  for (const item of page.records) {
    const r = await app.records.records.get(scopeOf(actor), item.id);
    const images = r.type === 'imaging' ? await app.records.attachments.list(scopeOf(actor), r.id) : [];
    records.push({ type: r.type, title: r.title, body: r.body, images: images.map((i) => i.sha256) });
  }
  records.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  return {
    fullName: demographics.fullName,
    dateOfBirth: demographics.dateOfBirth,
    smokingStatus: demographics.smokingStatus,
    careTeam: demographics.careTeam.map((m) => m.displayName).sort(),
    records,
  };
}

describe('medvault seed', () => {
  const dirs = [tempDir('medvault-seed-'), tempDir('medvault-seed-')];
  const args = ['seed', '--patients', '20', '--seed', OPTIONS.seed, '--as-of', OPTIONS.asOf];
  let runs: Awaited<ReturnType<typeof runCli>>[];
  let apps: AppContext[];

  beforeAll(async () => {
    // Two runs with the same seed, side by side (production argon2id: 3 hashes a patient).
    runs = await Promise.all(dirs.map((d) => runCli([...args, '--data-dir', d])));
    apps = await Promise.all(
      dirs.map((d) => openApp(loadConfig({ MEDVAULT_DATA_DIR: d, LOG_LEVEL: 'silent' }))),
    );
  }, 240_000);

  afterAll(async () => {
    await Promise.all((apps ?? []).map((a) => a.close()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('prints a summary, staff logins and where the credentials are', () => {
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Done in [\d.]+ s .*: 7 staff, 20 patients, 100 records/);
      expect(r.stdout).toMatch(/admin@hospital\.test/);
      expect(r.stdout).toMatch(/seed-patients\.csv \(mode 0600\)/);
      expect(r.stdout).toMatch(/never seed a database that holds real patients/);
    }
  });

  it('writes staff key files and the patient credentials with mode 0600', () => {
    const keys = path.join(dirs[0]!, 'demo-keys');
    expect(fs.statSync(keys).mode & 0o777).toBe(0o700);
    const files = fs.readdirSync(keys);
    expect(files).toContain('doctor01@hospital.test.pem');
    for (const f of files) expect(fs.statSync(path.join(keys, f)).mode & 0o777, f).toBe(0o600);
    expect(readCsv(dirs[0]!)).toHaveLength(20);
  });

  it('creates the planned patients, records of every type and X-ray images that read back', async () => {
    const app = apps[0]!;
    const rows = readCsv(dirs[0]!);
    const doctors = staffCounts(OPTIONS.patients).doctor;
    const images = planImages(OPTIONS, doctors, 4);
    expect(images.size).toBeGreaterThan(0);
    const types = new Set<string>();
    let imageCount = 0;
    for (const [i, row] of rows.entries()) {
      const plan = planPatient(OPTIONS, i, doctors);
      expect(row.ssn).toBe(plan.person.ssn);
      const content = await patientContent(app, row.patientId);
      expect(content.fullName).toBe(plan.person.fullName);
      expect(content.dateOfBirth).toBe(plan.person.dateOfBirth);
      expect(content.records).toHaveLength(plan.records.length);
      const planned = plan.records
        .map((r) => JSON.stringify({ type: r.type, title: r.title, body: r.body }))
        .sort();
      const stored = content.records
        .map((r) => JSON.stringify({ type: r.type, title: r.title, body: r.body }))
        .sort();
      expect(stored).toEqual(planned);
      for (const r of content.records) types.add(r.type);
      for (const [j, r] of plan.records.entries()) {
        if (!images.has(`${i}:${j}`) || r.image === undefined) continue;
        const png = chestXrayPng(r.image, SeededRandom.fromSeed(OPTIONS.seed).fork(`image/${i}/${j}`));
        const sha = createHash('sha256').update(png).digest('hex');
        expect(content.records.some((c) => c.images.includes(sha))).toBe(true);
        imageCount++;
      }
    }
    expect([...types].sort()).toEqual([...WRITABLE_RECORD_TYPES].sort());
    expect(imageCount).toBe(images.size);
    // An image downloads as the PNG that was generated.
    const withImage = rows.findIndex((_, i) => [...images].some((k) => k.startsWith(`${i}:`)));
    const actor = { userId: rows[withImage]!.patientId, role: 'patient' as const };
    const imaging = (await app.records.records.list(scopeOf(actor), actor.userId, { type: 'imaging' }))
      .records;
    for (const rec of imaging) {
      const [att] = await app.records.attachments.list(scopeOf(actor), rec.id);
      if (att === undefined) continue;
      const download = await app.records.attachments.open(scopeOf(actor), rec.id, att.id);
      const chunks: Buffer[] = [];
      for await (const c of download.content) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    }
  }, 120_000);

  it('makes the same hospital from the same seed', async () => {
    const [a, b] = [readCsv(dirs[0]!), readCsv(dirs[1]!)];
    expect(b.map((r) => [r.ssn, r.pin, r.password])).toEqual(a.map((r) => [r.ssn, r.pin, r.password]));
    for (let i = 0; i < a.length; i++) {
      const [x, y] = await Promise.all([
        patientContent(apps[0]!, a[i]!.patientId),
        patientContent(apps[1]!, b[i]!.patientId),
      ]);
      expect(y).toEqual(x);
    }
    expect(runs[1]!.stdout.match(/@hospital\.test\s+\S+/g)).toEqual(
      runs[0]!.stdout.match(/@hospital\.test\s+\S+/g),
    );
  }, 120_000);

  it('logs a seeded patient in with the printed credentials', async () => {
    const [row] = readCsv(dirs[0]!);
    const session = await apps[0]!.identity.patientLogin.login({
      ssn: row!.ssn,
      pin: row!.pin,
      password: row!.password,
    });
    expect(session.user.id).toBe(row!.patientId);
  }, 120_000);

  it('refuses to seed a database that already has accounts', async () => {
    const r = await runCli([...args, '--data-dir', dirs[0]!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already has accounts/);
  }, 120_000);

  it('has --help and refuses bad numbers with exit 2', async () => {
    const help = await runCli(['seed', '--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--patients <n>',
      '--records-per-patient <n>',
      '--seed <text>',
      '--data-dir <dir>',
      '--database-url <url>',
    ])
      expect(help.stdout).toContain(flag);
    const bad = await runCli(['seed', '--patients', 'lots', '--data-dir', tempDir()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--patients expects a (non-negative|positive) integer/);
  }, 120_000);
});

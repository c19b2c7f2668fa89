import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { AppError } from '../../src/app/errors.js';
import {
  checkConsistencyOffline,
  parseProofDocument,
  type ConsistencyProofDocument,
} from '../../src/app/audit/index.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import { moveStore, MoveInterrupted, type StoreMoveOptions } from '../../src/app/store-move/index.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { openStore } from '../../src/store/database.js';
import { MIGRATION_TABLES, TABLE_ORDER } from '../../src/store/store-tables.js';
import { countRows } from '../../src/store/table-copy.js';
import { seedHospital, type SeedReport } from '../../src/synthetic/seed-hospital.js';
import { MEDICINE_CATALOG } from '../../src/app/prescriptions/medicine-catalog.js';
import { caller, httpLogin, type Caller } from '../identity/staff-http-client.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';
import { runCli } from '../support/cli.js';
import { items, text } from '../support/json-answer.js';
import { insertStaff } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTestStore, PG_URL, tempDir, type TestStore } from '../support/stores.js';

const AMOXICILLIN = MEDICINE_CATALOG.find((m) => m.id === 'amoxicillin-500mg-capsule')!;

const draftFor = (patientId: string, prescriberId: string) => ({
  patientId,
  medicine: {
    id: AMOXICILLIN.id,
    name: AMOXICILLIN.genericName,
    strength: AMOXICILLIN.strength,
    form: AMOXICILLIN.form,
  },
  dose: '1 capsule',
  route: 'oral',
  frequency: 'three times daily',
  quantity: 21,
  refills: 0,
  instructions: 'Take with water.',
  prescriberId,
});

describe('the store tables list', () => {
  it('names every table the migrations create, and no other', async () => {
    const dir = tempDir();
    const app = await openApp(loadConfig({ MEDVAULT_DATA_DIR: dir, LOG_LEVEL: 'silent' }), CHEAP_COSTS);
    await app.close();
    const raw = new Database(path.join(dir, 'medvault.db'), { readonly: true });
    const names = raw
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all()
      .map((r) => (r as { name: string }).name)
      .filter((n) => !(MIGRATION_TABLES as readonly string[]).includes(n));
    raw.close();
    expect(names.sort()).toEqual([...TABLE_ORDER].sort());
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!PG_URL)('medvault store migrate (SQLite → PostgreSQL)', () => {
  const sourceDir = tempDir('medvault-move-src-');
  let config: Config;
  let seeded: SeedReport;
  let sourceCheckpointNote = '';
  let target: TestStore;
  const targetDir = path.join(tempDir('medvault-move-dst-'), 'data');
  const move = (over: Partial<StoreMoveOptions> = {}) =>
    moveStore({
      source: config,
      targetUrl: target.databaseUrl!,
      targetDataDir: targetDir,
      batchSize: 40,
      sample: 30,
      compose: CHEAP_COSTS,
      ...over,
    });

  beforeAll(async () => {
    config = loadConfig({ MEDVAULT_DATA_DIR: sourceDir, LOG_LEVEL: 'silent' });
    const app = await openApp(config, CHEAP_COSTS);
    try {
      seeded = await seedHospital(app, {
        seed: 'store-move',
        patients: 20,
        recordsPerPatient: 4,
        asOf: '2026-11-30',
        images: 3,
        concurrency: 4,
      });
      // One signed prescription in the source, by a doctor of the first patient's care team.
      const patientId = seeded.patients[0]!.patientId;
      const team = await app.store.db
        .selectFrom('care_teams')
        .select('doctor_id')
        .where('patient_id', '=', patientId)
        .execute();
      const doctor = seeded.staff.find((s) => s.userId === team[0]!.doctor_id)!;
      await app.prescriptions.prescriptions.sign(
        scopeOf({ userId: doctor.userId, role: 'doctor' }),
        signPrescriptionDraft(doctor.privateKeyPem, draftFor(patientId, doctor.userId)),
      );
    } finally {
      await app.close();
    }
    target = await createTestStore('postgres', { migrate: false });
    await target.store.close();
  }, 180_000);

  afterAll(async () => {
    await target?.dispose();
    fs.rmSync(sourceDir, { recursive: true, force: true });
    fs.rmSync(path.dirname(targetDir), { recursive: true, force: true });
  });

  it('refuses a target that holds other data, and changes nothing there', async () => {
    const other = await createTestStore('postgres');
    try {
      await insertStaff(other.store.db, 'admin');
      const refused = await moveStore({
        source: config,
        targetUrl: other.databaseUrl!,
        targetDataDir: path.join(other.dataDir, 'moved'),
        compose: CHEAP_COSTS,
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('store_not_empty');
      expect(await countRows(other.store.db, 'users')).toBe(1);
      expect(await countRows(other.store.db, 'keyring_keys')).toBe(0);
    } finally {
      await other.dispose();
    }
  });

  it('resumes a move killed midway, copying only what is missing, and proves the result', async () => {
    const killed = await move({ stopAfterBatches: 9 }).catch((e: unknown) => e);
    expect(killed).toBeInstanceOf(MoveInterrupted);
    const partial = openStore({ databaseUrl: target.databaseUrl, dataDir: targetDir });
    const copiedBefore = await countRows(partial.db, 'ledger_entries');
    await partial.close();
    expect(copiedBefore).toBeGreaterThan(0);

    const report = await move();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.resumed).toBe(true);
    expect(report.tables.map((t) => t.table)).toEqual(TABLE_ORDER);
    for (const t of report.tables) expect(t.identical, t.table).toBe(true);
    const total = report.tables.reduce((n, t) => n + t.sourceRows, 0);
    expect(report.rowsCopied).toBeLessThan(total);
    expect(report.attachments.checked).toBe(seeded.attachments);
    expect(report.recordsSampled).toBe(30);
    expect(report.ledger.sourceCheckpoint).toBe(report.ledger.sourceSize);
    expect(report.ledger.targetSize).toBe(report.ledger.sourceSize + 1);
    expect(report.ledger.consistency).toMatch(/extends the one of \d+ entries/);
    expect(fs.statSync(path.join(targetDir, 'master.key')).mode & 0o777).toBe(0o600);

    const source = openStore({ dataDir: sourceDir });
    sourceCheckpointNote = (
      await source.db
        .selectFrom('ledger_checkpoints')
        .select('note')
        .orderBy('tree_size', 'desc')
        .executeTakeFirstOrThrow()
    ).note;
    await source.close();
  }, 180_000);

  it('refuses a second run into the moved hospital (its ledger has moved on)', async () => {
    const again = await move().catch((e: unknown) => e);
    expect((again as AppError).code).toBe('store_not_empty');
  });

  describe('the moved hospital, served from PostgreSQL', () => {
    let server: TestServer;
    let call: Caller;
    beforeAll(async () => {
      server = await startTestServer({
        databaseUrl: target.databaseUrl!,
        settings: { MEDVAULT_DATA_DIR: targetDir },
      });
      call = caller(server.url);
    });
    afterAll(async () => {
      await server?.close();
    });

    const loginPatient = async (i: number) => {
      const p = seeded.patients[i]!;
      const res = await call('POST', '/api/v1/auth/patient/login', {
        body: { ssn: p.person.ssn, pin: p.person.pin, password: p.person.password },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { id: p.patientId, token: text(res.body.token) };
    };
    const loginStaff = async (userId: string) => {
      const s = seeded.staff.find((x) => x.userId === userId)!;
      const res = await httpLogin(call, s.username, s.password, {
        algorithm: 'ed25519',
        privateKeyPem: s.privateKeyPem,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { staff: s, token: text(res.body.token) };
    };
    const doctorsOf = async (patientId: string) =>
      (
        await server.app.store.db
          .selectFrom('care_teams')
          .select('doctor_id')
          .where('patient_id', '=', patientId)
          .execute()
      ).map((r) => r.doctor_id);

    it('lets every patient log in and read their records', async () => {
      for (let i = 0; i < seeded.patients.length; i++) {
        const me = await loginPatient(i);
        const list = await call('GET', `/api/v1/patients/${me.id}/records`, { token: me.token });
        expect(list.status).toBe(200);
        // The list merges prescriptions in (they are read through their own route).
        const first = items(list.body.records).find((r) => text(r.type) !== 'prescription')!;
        const one = await call('GET', `/api/v1/records/${text(first.id)}`, { token: me.token });
        expect(one.status, JSON.stringify([first, one.body])).toBe(200);
        expect(typeof one.body.title).toBe('string');
      }
    }, 120_000);

    it('serves the X-rays, byte for byte what was stored', async () => {
      const rows = await server.app.store.db
        .selectFrom('attachments')
        .select(['id', 'record_id', 'patient_id'])
        .execute();
      expect(rows.length).toBe(seeded.attachments);
      for (const a of rows) {
        const owner = seeded.patients.findIndex((p) => p.patientId === a.patient_id);
        const me = await loginPatient(owner);
        const list = await call('GET', `/api/v1/records/${a.record_id}/attachments`, { token: me.token });
        expect(list.status).toBe(200);
        const listed = items(list.body.attachments).find((x) => text(x.id) === a.id)!;
        const res = await fetch(`${server.url}/api/v1/records/${a.record_id}/attachments/${a.id}`, {
          headers: { authorization: `Bearer ${me.token}` },
        });
        expect(res.status).toBe(200);
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(listed.sha256);
      }
    }, 60_000);

    it('keeps the prescription, takes a new one and dispenses it', async () => {
      const me = await loginPatient(0);
      const mine = await call('GET', `/api/v1/patients/${me.id}/prescriptions`, { token: me.token });
      expect(mine.status).toBe(200);
      expect(JSON.stringify(mine.body)).toContain('Amoxicillin');
      const doctor = await loginStaff((await doctorsOf(me.id))[0]!);
      const created = await call('POST', '/api/v1/prescriptions', {
        token: doctor.token,
        body: signPrescriptionDraft(doctor.staff.privateKeyPem, draftFor(me.id, doctor.staff.userId)),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const pharmacist = await loginStaff(seeded.staff.find((s) => s.role === 'pharmacist')!.userId);
      const dispensed = await call('POST', `/api/v1/prescriptions/${text(created.body.id)}/dispense`, {
        token: pharmacist.token,
      });
      expect(dispensed.status, JSON.stringify(dispensed.body)).toBe(200);
    }, 60_000);

    it("lets a patient grant a doctor outside the care team, who then reads the patient's records", async () => {
      const me = await loginPatient(1);
      const team = await doctorsOf(me.id);
      const outsider = seeded.staff.find((s) => s.role === 'doctor' && !team.includes(s.userId))!;
      const doctor = await loginStaff(outsider.userId);
      const granted = await call('POST', `/api/v1/patients/${me.id}/grants`, {
        token: me.token,
        body: { doctorId: outsider.userId },
      });
      expect(granted.status, JSON.stringify(granted.body)).toBe(201);
      const list = await call('GET', `/api/v1/patients/${me.id}/records`, { token: doctor.token });
      expect(list.status).toBe(200);
      expect(items(list.body.records).length).toBeGreaterThan(0);
    });

    it("proves its ledger extends the source's last checkpoint", async () => {
      const me = await loginPatient(2);
      const cp = await call('POST', '/api/v1/audit/verify', { token: me.token });
      expect([200, 403]).toContain(cp.status);
      const head = await server.app.audit.ledger.checkpoint(server.app.store.db);
      const from = Number(/\n(\d+)\n/.exec(sourceCheckpointNote)![1]);
      const proof = await call('GET', `/api/v1/audit/proofs/consistency?from=${from}&to=${head.treeSize}`, {
        token: me.token,
      });
      expect(proof.status, JSON.stringify(proof.body)).toBe(200);
      const key = await call('GET', '/api/v1/audit/public-key', { token: me.token });
      const check = checkConsistencyOffline(
        parseProofDocument(JSON.stringify(proof.body)) as ConsistencyProofDocument,
        sourceCheckpointNote,
        head.note,
        text(key.body.verifierKey),
      );
      expect(check.message).toMatch(/extends/);
      expect(check.ok).toBe(true);
    });
  });

  it('`medvault store migrate` moves a hospital with a progress bar and prints its proof', async () => {
    const fresh = await createTestStore('postgres', { migrate: false });
    await fresh.store.close();
    const dir = path.join(tempDir(), 'moved');
    try {
      const res = await runCli([
        'store',
        'migrate',
        '--data-dir',
        sourceDir,
        '--to',
        fresh.databaseUrl!,
        '--target-data-dir',
        dir,
        '--sample',
        '10',
      ]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toMatch(/copying \[/);
      expect(res.stdout).toMatch(/^Moving /m);
      expect(res.stdout).toMatch(/tables {6}\d+ tables, \d+ rows: \d+ identical/);
      expect(res.stdout).toMatch(/The move is proven/);
      const bad = await runCli(['store', 'migrate', '--data-dir', sourceDir, '--to', fresh.databaseUrl!]);
      expect(bad.code).toBe(2);
      const again = await runCli([
        'store',
        'migrate',
        '--data-dir',
        sourceDir,
        '--to',
        fresh.databaseUrl!,
        '--target-data-dir',
        dir,
      ]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already holds this hospital/);
    } finally {
      await fresh.dispose();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  }, 180_000);
});

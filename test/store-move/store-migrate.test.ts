import fs from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { AppError } from '../../src/app/errors.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/index.js';
import { moveStore, MoveInterrupted, type StoreMoveReport } from '../../src/app/store-move/index.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { copyPlan } from '../../src/store/copy-plan.js';
import { openStore } from '../../src/store/database.js';
import type { Schema } from '../../src/store/schema.js';
import { seedHospital, seedingScope, type SeedReport } from '../../src/synthetic/seed-hospital.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';
import { patientScope, readChart } from '../support/patient-chart.js';
import { runCli, spawnCli, waitForExit } from '../support/cli.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { sign } from '../support/people.js';
import { splitTestData } from '../support/sealed.js';
import { createTestStore, PG_URL, tempDir, type TestStore } from '../support/stores.js';

/**
 * `medvault store migrate`: a seeded SQLite hospital moved into PostgreSQL, then used there; a
 * move stopped midway (an injected failure, and `kill -9` of the CLI) continued to the end; a
 * non-empty target refused. PostgreSQL only: it is the target.
 */
const PATIENTS = 20;

/** A fresh, empty PostgreSQL schema (and a way to drop it). */
async function emptySchema(): Promise<TestStore & { url: string }> {
  const t = await createTestStore('postgres', { migrate: false });
  await t.store.close();
  return { ...t, url: t.databaseUrl! };
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

const moved = (r: StoreMoveReport) => {
  if (r.status !== 'moved') throw new Error(`expected a move, got ${r.status}`);
  return r;
};

describe.skipIf(PG_URL === undefined)('store migrate (SQLite → PostgreSQL)', () => {
  let dataDir: string;
  let config: Config;
  let report: SeedReport;
  let prescriptionId: string;
  const disposers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    dataDir = tempDir();
    config = loadConfig({
      MEDVAULT_DATA_DIR: dataDir,
      MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64,
      LOG_LEVEL: 'silent',
    });
    const app = await openApp(config, CHEAP_COSTS);
    try {
      report = await seedHospital(app, {
        seed: 'store-migrate-test',
        patients: PATIENTS,
        recordsPerPatient: 4,
        asOf: '2026-06-01',
        images: 3,
        concurrency: 4,
      });
      // A signed prescription (the seed writes none) by a doctor of the first patient's team.
      const patientId = report.patients[0]!.patientId;
      const team = await app.store.db
        .selectFrom('care_teams')
        .select('doctor_id')
        .where('patient_id', '=', patientId)
        .executeTakeFirstOrThrow();
      const doctor = report.staff.find((s) => s.userId === team.doctor_id)!;
      const scope = seedingScope({ userId: doctor.userId, role: 'doctor' });
      const medicine = (await app.prescriptions.medicines.search(scope, 'Amoxicillin', 20))[0]!;
      const signed = await app.prescriptions.prescriptions.sign(
        scope,
        signPrescriptionDraft(doctor.privateKeyPem, {
          patientId,
          medicine: {
            id: medicine.id,
            name: medicine.genericName,
            strength: medicine.strength,
            form: medicine.form,
          },
          dose: '1 capsule',
          route: 'oral',
          frequency: 'three times daily',
          quantity: 21,
          refills: 0,
          instructions: 'With food.',
          prescriberId: doctor.userId,
        }),
      );
      prescriptionId = signed.id;
      // A grant to a doctor outside the team (the seed may write none at this size).
      const other = report.staff.find((s) => s.role === 'doctor' && s.userId !== doctor.userId)!;
      await app.sharing.grants.create(seedingScope({ userId: patientId, role: 'patient' }), patientId, {
        doctorId: other.userId,
      });
    } finally {
      await app.close();
    }
  }, 120_000);
  afterAll(async () => {
    for (const d of disposers) await d();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const target = async () => {
    const t = await emptySchema();
    disposers.push(() => t.dispose());
    return t;
  };

  it('derives its table list from the migrations: every table of the schema, parents first, each with a key', async () => {
    const t = await target();
    const store = openStore({ databaseUrl: t.url, dataDir: t.dataDir });
    try {
      const { migrateToLatest } = await import('../../src/store/migrate.js');
      await migrateToLatest(store);
      const plan = await copyPlan(store.db);
      const every: Record<keyof Schema, true> = {
        keyring_keys: true,
        key_custody: true,
        data_keys: true,
        ledger_entries: true,
        ledger_nodes: true,
        ledger_head: true,
        ledger_checkpoints: true,
        idempotency_keys: true,
        users: true,
        staff_keys: true,
        patients: true,
        sessions: true,
        session_epoch: true,
        login_challenges: true,
        lockouts: true,
        care_teams: true,
        grants: true,
        break_glass: true,
        records: true,
        attachments: true,
        attachment_chunks: true,
        search_index: true,
        medicines: true,
        prescriptions: true,
        prescription_dispenses: true,
        analytics_keys: true,
        analytics_vital_records: true,
        analytics_vitals: true,
        analytics_privacy_lock: true,
        analytics_privacy_spends: true,
        ledger_key_handovers: true,
        second_factors: true,
        second_factor_pending: true,
        webauthn_challenges: true,
        patient_enrolments: true,
        patient_search_tokens: true,
        approval_requests: true,
        staff_invites: true,
        analytics_budget_raises: true,
        second_factor_policy: true,
        account_notices: true,
      };
      expect(plan.map((p) => p.name).sort()).toEqual(Object.keys(every).sort());
      const edges = await sql<{
        child: string;
        parent: string;
      }>`select c.relname as child, p.relname as parent
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
        where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(store.db);
      const at = (n: string) => plan.findIndex((p) => p.name === n);
      for (const e of edges.rows)
        if (e.child !== e.parent)
          expect(at(e.parent), `${e.parent} before ${e.child}`).toBeLessThan(at(e.child));
      expect(plan.find((p) => p.name === 'care_teams')?.key.map((k) => k.name)).toEqual([
        'patient_id',
        'doctor_id',
      ]);
      expect(plan.find((p) => p.name === 'data_keys')?.identity).toBe('id');
      // A table without a primary key cannot be copied in order: refused, not skipped.
      await sql`create table stray (x int)`.execute(store.db);
      await expect(copyPlan(store.db)).rejects.toThrow(/stray has no primary key/);
      await sql`drop table stray`.execute(store.db);
      await sql`create table stray (x numeric primary key)`.execute(store.db);
      await expect(copyPlan(store.db)).rejects.toThrow(/stray\.x: a numeric key cannot be copied in order/);
    } finally {
      await store.close();
    }
  });

  it('moves the hospital, proves it, and everything works on PostgreSQL: logins, records, X-rays, prescriptions, grants, ledger', async () => {
    const t = await target();
    const items: string[] = [];
    const r = moved(
      await moveStore({
        source: config,
        targetUrl: t.url,
        batchSize: 200,
        sample: 10,
        open: CHEAP_COSTS,
        onItem: (item) => items.push(item),
      }),
    );
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.resumed).toBe(false);
    expect(items.at(-1)).toBe('attachments');
    expect(items).not.toContain('attachment_chunks');
    expect(r.tables.every((x) => x.identical && x.sourceRows === x.targetRows)).toBe(true);
    expect(r.attachments.checked).toBe(report.attachments);
    expect(r.attachments.decrypted).toBeGreaterThanOrEqual(1);
    expect(r.copy.attachments).toBe(report.attachments);
    expect(r.recordsSampled).toBe(10);
    expect(r.ledger.message).toMatch(/audit verify passed/);
    expect(r.ledger.targetSize).toBe(r.ledger.sourceSize + 1);
    const chunks = await query<{ n: number }>(
      t.url,
      'select count(distinct attachment_id)::int as n from attachment_chunks',
    );
    expect(chunks[0]!.n).toBe(report.attachments);

    const source = await openApp(config, CHEAP_COSTS);
    const there = await openApp({ ...config, databaseUrl: t.url }, CHEAP_COSTS);
    try {
      expect(there.store.dialect).toBe('postgres');
      // Every patient logs in on PostgreSQL; the first three read everything, equal to SQLite.
      const read = async (a: AppContext, i: number) => {
        const { person, patientId } = report.patients[i]!;
        const scope = await patientScope(a, person);
        const out = await readChart(a, scope, patientId);
        const grants = await a.sharing.grants.list(scope, patientId);
        const prescriptions = await a.prescriptions.prescriptions.forPatient(scope, patientId);
        return { out, grants, prescriptions, files: out.flatMap((o) => o.files).length };
      };
      for (let i = 0; i < PATIENTS; i++) {
        const mine = i < 3 ? await read(source, i) : undefined;
        const theirs = await read(there, i);
        if (mine !== undefined) expect(theirs).toEqual(mine);
      }
      let xrays = 0;
      for (let i = 0; i < PATIENTS; i++) xrays += (await read(there, i)).files;
      expect(xrays).toBe(report.attachments);
      const first = await read(there, 0);
      expect(first.prescriptions.map((p) => p.id)).toContain(prescriptionId);
      expect(first.grants.length).toBeGreaterThan(0);

      // Staff log in with their keys; the doctor reads the prescription and its evidence verifies.
      const doctorRow = await there.store.db
        .selectFrom('prescriptions')
        .select('prescriber_id')
        .where('id', '=', prescriptionId)
        .executeTakeFirstOrThrow();
      for (const s of report.staff) {
        const ch = await there.identity.staffLogin.issueChallenge(s.username);
        const ok = await there.identity.staffLogin.login({
          username: s.username,
          password: s.password,
          challengeId: ch.challengeId,
          signature: sign('ed25519', s.privateKeyPem, ch.challenge),
        });
        expect(ok.user.id).toBe(s.userId);
        if (s.userId === doctorRow.prescriber_id) {
          const scope = (await there.identity.sessions.openScope(there.store.db, ok.token))!;
          expect((await there.prescriptions.prescriptions.get(scope, prescriptionId)).id).toBe(
            prescriptionId,
          );
        }
      }

      // The ledger: verifies whole, and an inclusion proof for an old entry holds on the new log.
      const verified = await there.audit.ledger.verify(there.store.db);
      expect(verified.ok).toBe(true);
      const size = await there.audit.ledger.size(there.store.db);
      const proof = await there.audit.ledger.inclusionProof(there.store.db, 1, size);
      expect(proof.treeSize ?? size).toBe(size);
      // New writes get fresh ids on PostgreSQL (identity sequences moved past the copied ones).
      const before = await there.store.db
        .selectFrom('data_keys')
        .select(sql<number>`max(id)`.as('m'))
        .executeTakeFirstOrThrow();
      const { person } = report.patients[1]!;
      await there.identity.patientLogin.login({
        ssn: person.ssn,
        pin: person.pin,
        password: person.password,
      });
      expect(Number(before.m)).toBeGreaterThan(0);
    } finally {
      await there.close();
      await source.close();
    }

    // A second run recognises the completed move and leaves it alone.
    expect((await moveStore({ source: config, targetUrl: t.url, open: CHEAP_COSTS })).status).toBe(
      'already-complete',
    );
  }, 240_000);

  it('stopped midway (an injected failure after N batches), a re-run continues where it stopped and completes', async () => {
    const t = await target();
    const run = (stopAfterBatches?: number) =>
      moveStore({
        source: config,
        targetUrl: t.url,
        batchSize: 5,
        sample: 3,
        open: CHEAP_COSTS,
        ...(stopAfterBatches === undefined ? {} : { stopAfterBatches }),
      });
    await expect(run(40)).rejects.toBeInstanceOf(MoveInterrupted);
    const state = await query<{ item: string; rows: number; done: boolean }>(
      t.url,
      'select item, rows::int as rows, done from medvault_store_move',
    );
    const partial = state.filter((s) => s.item !== '$move');
    expect(state.find((s) => s.item === '$move')?.done).toBe(false);
    expect(partial.some((s) => !s.done)).toBe(true);
    const copiedFirst = partial.reduce((n, s) => n + s.rows, 0);
    // Stopped again right after its first batch (the table it was in finishes), then finished.
    await expect(
      moveStore({
        source: config,
        targetUrl: t.url,
        batchSize: 1_000_000,
        open: CHEAP_COSTS,
        stopAfterBatches: 1,
      }),
    ).rejects.toBeInstanceOf(MoveInterrupted);
    const r = moved(await run());
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.resumed).toBe(true);
    expect(r.tables.every((x) => x.sourceRows === x.targetRows)).toBe(true);
    const total = r.tables.reduce((n, x) => n + x.sourceRows, 0);
    expect(r.copy.rows).toBeLessThan(total - copiedFirst + 1);
  }, 240_000);

  it('does not prove (nor mark complete, nor ledger) a target whose copy was altered before the proof', async () => {
    const t = await target();
    // One batch per table, then one of attachments: stopped after the last, before the proof.
    const scratch = await createTestStore('postgres');
    const tables = (await copyPlan(scratch.store.db)).filter((x) => x.name !== 'attachment_chunks').length;
    await scratch.dispose();
    await expect(
      moveStore({
        source: config,
        targetUrl: t.url,
        batchSize: 1_000_000,
        open: CHEAP_COSTS,
        stopAfterBatches: tables + 1,
      }),
    ).rejects.toBeInstanceOf(MoveInterrupted);
    const [{ id }] = (await query<{ id: string }>(t.url, 'select id from records order by id limit 1')) as [
      { id: string },
    ];
    await query(
      t.url,
      `update records set title_ct = overlay(title_ct placing '\\x00'::bytea from 40 for 1) where id = '${id}'`,
    );
    const [{ attachment_id: gone }] = (await query<{ attachment_id: string }>(
      t.url,
      'select attachment_id from attachment_chunks order by attachment_id limit 1',
    )) as [{ attachment_id: string }];
    await query(t.url, `delete from attachment_chunks where attachment_id = '${gone}'`);
    const entries = await query<{ n: number }>(t.url, 'select count(*)::int as n from ledger_entries');

    const r = moved(await moveStore({ source: config, targetUrl: t.url, sample: 1000, open: CHEAP_COSTS }));
    expect(r.ok).toBe(false);
    expect(r.copy.rows).toBe(0);
    expect(r.problems).toContain('table records: the same number of rows but different values');
    expect(r.problems).toContain(`attachment ${gone} is missing in the target`);
    expect(r.problems.some((p) => p.startsWith(`record ${id}: the title does not decrypt`))).toBe(true);
    expect(r.problems.some((p) => p.startsWith(`attachment ${gone}: decrypts differently`))).toBe(true);
    expect(r.ledger.message).toMatch(/not checked/);
    expect(r.tables.find((x) => x.table === 'records')?.identical).toBe(false);
    expect(await query<{ n: number }>(t.url, 'select count(*)::int as n from ledger_entries')).toEqual(
      entries,
    );
    const move = await query<{ done: boolean }>(
      t.url,
      "select done from medvault_store_move where item = '$move'",
    );
    expect(move[0]!.done).toBe(false);
  }, 240_000);

  it('moves a hospital whose master key is split: the officers give their shares once, for both sides', async () => {
    const split = await splitTestData('sqlite', 3, 2);
    disposers.push(() => split.dispose());
    const t = await target();
    const given = [split.shares[0]!, split.shares[2]!];
    let asked = 0;
    const readShare = async () => {
      asked++;
      return given.shift() ?? null;
    };
    const r = moved(
      await moveStore({
        source: loadConfig(split.settings),
        targetUrl: t.url,
        open: { ...CHEAP_COSTS, readShare },
      }),
    );
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(asked).toBe(2);
    const custody = await query<{ threshold: number }>(t.url, 'select threshold from key_custody');
    expect(custody).toEqual([{ threshold: 2 }]);
  }, 120_000);

  it('refuses a non-empty target, and one holding another hospital\u2019s move, changing nothing', async () => {
    const t = await target();
    await query(t.url, 'create table their_data (id int primary key)');
    const err = await moveStore({ source: config, targetUrl: t.url, open: CHEAP_COSTS }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/is not empty/);
    const tables = await query<{ t: string }>(
      t.url,
      'select table_name as t from information_schema.tables where table_schema = current_schema()',
    );
    expect(tables.map((x) => x.t)).toEqual(['their_data']);

    const other = await target();
    await query(
      other.url,
      'create table medvault_store_move (item text primary key, source text not null, last_key text, rows bigint not null default 0, bytes bigint not null default 0, done boolean not null default false, updated_at bigint not null)',
    );
    await query(
      other.url,
      "insert into medvault_store_move (item, source, updated_at) values ('$move', 'another', 0)",
    );
    await expect(moveStore({ source: config, targetUrl: other.url, open: CHEAP_COSTS })).rejects.toThrow(
      /another hospital/,
    );
    await expect(moveStore({ source: { ...config, databaseUrl: t.url }, targetUrl: t.url })).rejects.toThrow(
      /SQLite data folder/,
    );
    await expect(moveStore({ source: config, targetUrl: 'mysql://x' })).rejects.toThrow(/postgres/);
    await expect(moveStore({ source: { ...config, dataDir: tempDir() }, targetUrl: t.url })).rejects.toThrow(
      /no MedVault database/,
    );
  });

  it('the CLI: refuses a non-empty target (exit 1); killed with -9 midway, run again it continues and proves the move; a third run finds it complete', async () => {
    const env = { MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64, LOG_LEVEL: 'silent' };
    const help = await runCli(['store', 'migrate', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--to <url>/);

    const full = await target();
    await query(full.url, 'create table their_data (id int primary key)');
    const refused = await runCli(['store', 'migrate', '--data-dir', dataDir, '--to', full.url], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty/);

    const t = await target();
    const child = spawnCli(
      ['store', 'migrate', '--data-dir', dataDir, '--to', t.url, '--batch-size', '2'],
      env,
    );
    const exited = waitForExit(child);
    // Wait until some rows are copied and the move is not finished, then kill it hard.
    let killed = false;
    for (let i = 0; i < 600 && !killed; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const rows = await query<{ n: number }>(
        t.url,
        "select coalesce(sum(rows), 0)::int as n from medvault_store_move where item <> '$move'",
      ).catch(() => [{ n: 0 }]);
      if (rows[0]!.n > 50) {
        child.kill('SIGKILL');
        killed = true;
      }
    }
    const first = await exited;
    expect(first.signal).toBe('SIGKILL');
    const again = await runCli(
      ['store', 'migrate', '--data-dir', dataDir, '--to', t.url, '--sample', '5'],
      env,
    );
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Continuing the interrupted move/);
    expect(again.stdout).toMatch(/rows\/s/);
    expect(again.stdout).toMatch(/MB\/s/);
    expect(again.stdout).toMatch(/The move is proven/);
    const third = await runCli(['store', 'migrate', '--data-dir', dataDir, '--to', t.url], env);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/already holds this hospital/);
  }, 480_000);
});

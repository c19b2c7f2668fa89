import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import { jsonCaller, type Answer } from '../support/http.js';
import { items, text } from '../support/json-answer.js';
import { insertStaff, registration, tokenFor } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';
import { addKey, type Signer } from '../prescriptions/world.js';

/**
 * The outside test's finding, from the attacker's side: a doctor holding a patient's *read*
 * grant tries to write records, upload attachments and prescribe for that patient. Refused
 * (403 read_only_access), with nothing written — no row and no write entry in the ledger — while
 * the same doctor with a 'read_write' grant succeeds. Grants read by default.
 */

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const WRITE_ACTIONS = ['record.create', 'attachment.create', 'prescription.sign'];

describe.each(DIALECTS)('grant scopes on %s', (dialect) => {
  let pg: TestStore | undefined;
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let patient: { id: string; token: string };
  let otherPatientToken: string;
  let imaging: string;

  beforeAll(async () => {
    if (dialect === 'postgres') pg = await createTestStore('postgres', { migrate: false });
    server = await startTestServer(pg?.databaseUrl ? { databaseUrl: pg.databaseUrl } : {});
    call = jsonCaller(server.url);
    const { app } = server;
    const registrar = scopeOf(await insertStaff(app.store.db, 'registrar'));
    const id = (await app.identity.patients.register(registrar, registration())).patientId;
    patient = { id, token: await tokenFor(app, { userId: id, role: 'patient' }) };
    const other = (await app.identity.patients.register(registrar, registration())).patientId;
    otherPatientToken = await tokenFor(app, { userId: other, role: 'patient' });
    // An imaging record of the patient, written by their care-team doctor: the upload target.
    const careDoctor = await insertStaff(app.store.db, 'doctor', 'Dr Care');
    await app.sharing.careTeams.assign(registrar, id, careDoctor.userId);
    imaging = (
      await app.records.records.create(scopeOf(careDoctor), id, {
        type: 'imaging',
        title: 'Chest X-ray',
        body: { modality: 'X-ray', bodyPart: 'chest', findings: 'Clear lungs.', impression: 'Normal.' },
      })
    ).id;
  });
  afterAll(async () => {
    await server?.close();
    await pg?.dispose();
  });

  /** A doctor with a signing key, not yet related to the patient. */
  const newDoctor = async (name: string): Promise<Signer> =>
    addKey(server.app, await insertStaff(server.app.store.db, 'doctor', name), 'ed25519');

  const grant = async (doctor: Actor, body: Record<string, unknown> = {}): Promise<Answer> =>
    call('POST', `/api/v1/patients/${patient.id}/grants`, {
      token: patient.token,
      body: { doctorId: doctor.userId, ...body },
    });

  const writeRecord = (doctor: Signer, type = 'clinical_note'): Promise<Answer> =>
    call('POST', `/api/v1/patients/${patient.id}/records`, {
      token: doctor.token,
      body:
        type === 'lab_result'
          ? {
              type,
              title: 'Blood count',
              body: { panel: 'Blood count', analytes: [{ name: 'Haemoglobin', value: 13.5, unit: 'g/dL' }] },
            }
          : { type: 'clinical_note', title: 'Seen today', body: { text: 'Reviewed at the clinic.' } },
    });

  const upload = async (doctor: Signer): Promise<number> => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.concat([PNG, randomBytes(200)])], { type: 'image/png' }), 'x.png');
    const res = await fetch(`${server.url}/api/v1/records/${imaging}/attachments`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${doctor.token}` },
    });
    await res.arrayBuffer();
    return res.status;
  };

  const prescribe = (doctor: Signer): Promise<Answer> =>
    call('POST', '/api/v1/prescriptions', {
      token: doctor.token,
      body: signPrescriptionDraft(doctor.privateKeyPem, {
        patientId: patient.id,
        medicine: { id: 'ibuprofen-400mg-tablet', name: 'Ibuprofen', strength: '400 mg', form: 'tablet' },
        dose: '1 tablet',
        route: 'oral',
        frequency: 'every 8 hours',
        quantity: 30,
        refills: 0,
        instructions: '',
        prescriberId: doctor.actor.userId,
        override: { reason: 'Repeat prescription in a test', warnings: [] },
      }),
    });

  /** What a write would leave behind: rows of the patient and the doctor's write entries. */
  const traces = async (doctor: Signer) => {
    const db = server.app.store.db;
    const count = async (table: 'records' | 'prescriptions' | 'attachments'): Promise<number> => {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}
        where patient_id = ${patient.id}`.execute(db);
      return Number(rows[0]?.n);
    };
    const entries = await server.app.audit.ledger.entries(
      db,
      { actorId: doctor.actor.userId },
      { limit: 200 },
    );
    return {
      records: await count('records'),
      prescriptions: await count('prescriptions'),
      attachments: await count('attachments'),
      writes: entries.entries.filter((e) => WRITE_ACTIONS.includes(e.action)).map((e) => e.action),
    };
  };

  it('a read grant lets the doctor read, and refuses every write with nothing written', async () => {
    const doctor = await newDoctor('Dr Reader');
    expect((await grant(doctor.actor)).body.grant?.scope).toBe('read');
    const before = await traces(doctor);
    expect(before.writes).toEqual([]);

    const listed = await call('GET', `/api/v1/patients/${patient.id}/records`, { token: doctor.token });
    expect(listed.status).toBe(200);
    expect(items(listed.body.records).map((r) => r.id)).toContain(imaging);

    const record = await writeRecord(doctor);
    expect([record.status, record.body.error?.code]).toEqual([403, 'read_only_access']);
    expect(await upload(doctor)).toBe(403);
    const rx = await prescribe(doctor);
    expect([rx.status, rx.body.error?.code]).toEqual([403, 'read_only_access']);

    expect(await traces(doctor)).toEqual(before);
  });

  it('the same doctor with a read_write grant writes, prescribes and uploads; the ledger names the grant', async () => {
    const doctor = await newDoctor('Dr Writer');
    await grant(doctor.actor);
    const readWrite = await grant(doctor.actor, { scope: 'read_write' });
    expect(readWrite.status).toBe(201);
    const grantId = text(readWrite.body.grant?.id);

    expect((await writeRecord(doctor)).status).toBe(201);
    expect(await upload(doctor)).toBe(201);
    expect((await prescribe(doctor)).status).toBe(201);

    const after = await traces(doctor);
    expect(after.writes.sort()).toEqual([...WRITE_ACTIONS].sort());
    const entries = await server.app.audit.ledger.entries(
      server.app.store.db,
      { actorId: doctor.actor.userId },
      { limit: 50 },
    );
    for (const e of entries.entries.filter((x) => WRITE_ACTIONS.includes(x.action))) {
      expect(e.details, e.action).toMatchObject({ grantId, grantScope: 'read_write' });
      if (e.action !== 'attachment.create') expect(e.details.relation, e.action).toBe('grant');
    }
  });

  it('a read grant limited to some record types cannot write those types either', async () => {
    const doctor = await newDoctor('Dr Labs');
    await grant(doctor.actor, { recordTypes: ['lab_result', 'imaging', 'prescription'] });
    const before = await traces(doctor);

    const lab = await writeRecord(doctor, 'lab_result');
    expect([lab.status, lab.body.error?.code]).toEqual([403, 'read_only_access']);
    expect(await upload(doctor)).toBe(403);
    expect((await prescribe(doctor)).status).toBe(403);
    expect(await traces(doctor)).toEqual(before);
    // It still reads what it covers.
    expect((await call('GET', `/api/v1/records/${imaging}`, { token: doctor.token })).status).toBe(200);

    // A writing grant limited to lab results writes lab results only; prescriptions stay unseen.
    const other = await newDoctor('Dr Lab Writer');
    await grant(other.actor, { recordTypes: ['lab_result'], scope: 'read_write' });
    expect((await writeRecord(other, 'lab_result')).status).toBe(201);
    expect((await writeRecord(other, 'clinical_note')).status).toBe(400);
    expect((await prescribe(other)).status).toBe(404);
    expect(await upload(other)).toBe(404);
  });

  it('the patient chooses the scope through the API; it is returned, listed and in the ledger', async () => {
    const doctor = await newDoctor('Dr Chosen');
    const created = await grant(doctor.actor, { scope: 'read_write', recordTypes: ['vitals'] });
    expect(created.status).toBe(201);
    expect(created.body.grant).toMatchObject({ doctorId: doctor.actor.userId, scope: 'read_write' });
    const id = text(created.body.grant?.id);
    const list = await call('GET', `/api/v1/patients/${patient.id}/grants`, { token: patient.token });
    expect(items(list.body.grants).find((g) => text(g.id) === id)).toMatchObject({
      scope: 'read_write',
      recordTypes: ['vitals'],
    });
    const entries = await server.app.audit.ledger.entries(
      server.app.store.db,
      { action: 'grant.create', targetId: id },
      { limit: 1 },
    );
    expect(entries.entries[0]?.details).toMatchObject({ grantId: id, scope: 'read_write' });

    // A scope outside the vocabulary is refused, and nothing is stored.
    const before = await server.app.store.db.selectFrom('grants').select('id').execute();
    for (const scope of ['write', 'READ', 'admin', ''])
      expect((await grant(doctor.actor, { scope })).status).toBe(400);
    expect(await server.app.store.db.selectFrom('grants').select('id').execute()).toHaveLength(before.length);
    // Another patient cannot create one on this patient's behalf.
    const forged = await call('POST', `/api/v1/patients/${patient.id}/grants`, {
      token: otherPatientToken,
      body: { doctorId: doctor.actor.userId, scope: 'read_write' },
    });
    expect(forged.status).toBe(404);
  });

  it('stores a grant without a scope as read, and the service refuses its doctor a write too', async () => {
    const doctor = await newDoctor('Dr Stored');
    const created = await grant(doctor.actor);
    const row = await server.app.store.db
      .selectFrom('grants')
      .select(['scope'])
      .where('id', '=', text(created.body.grant?.id))
      .executeTakeFirstOrThrow();
    expect(row.scope).toBe('read');
    await expect(
      server.app.records.records.create(scopeOf(doctor.actor), patient.id, {
        type: 'clinical_note',
        title: 'x',
        body: { text: 'y' },
      }),
    ).rejects.toMatchObject({ code: 'read_only_access' });
  });
});

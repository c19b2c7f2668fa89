import { acceptPublicKey } from '../../src/app/identity/staff-input.js';
import { insertStaffKey } from '../../src/store/staff-key-repository.js';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import {
  ApiError,
  createClient,
  downloadAttachment,
  sessionOf,
  uploadAttachment,
  type MedVaultClient,
} from '../../src/contract/client/index.js';
import { SESSION_COOKIE_NAME } from '../../src/http/session-cookie.js';
import { insertStaff, PATIENT_PASSWORD, identityOf, registration, tokenFor } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The client against the real server (buildServer + the app): logins, reads and writes as each
 * role, error answers as ApiError with their catalogue code, cookie mode with the CSRF header,
 * files both ways, and a pharmacist queue of more than a page read to its last prescription.
 */
let server: TestServer;
let anonymous: MedVaultClient;

let registrar: MedVaultClient;
let doctor: { actor: Actor; api: MedVaultClient };
let pharmacist: MedVaultClient;
let patient: { id: string; ssn: string };

beforeAll(async () => {
  server = await startTestServer();
  const { app } = server;
  const db = app.store.db;
  anonymous = createClient({ baseUrl: server.url });

  const as = async (actor: Actor) => anonymous.withToken(await tokenFor(app, actor));
  registrar = await as(await insertStaff(db, 'registrar'));
  const doctorActor = await insertStaff(db, 'doctor', 'Dr Contract');
  doctor = { actor: doctorActor, api: await as(doctorActor) };
  pharmacist = await as(await insertStaff(db, 'pharmacist'));
  const reg = { ...registration(), smokingStatus: 'former' as const };
  const { patientId, enrolmentCode } = await registrar.call('registerPatient', {
    body: { ...identityOf(reg), smokingStatus: reg.smokingStatus },
  });
  await anonymous.call('enrolPatient', {
    body: { ssn: reg.ssn, enrolmentCode, pin: reg.pin, password: reg.password },
  });
  await registrar.call('assignCareTeam', {
    params: { id: patientId },
    body: { doctorId: doctorActor.userId },
  });
  patient = { id: patientId, ssn: reg.ssn };
});
afterAll(async () => {
  await server?.close();
});

describe('the client against the real server', () => {
  it('logs a patient in and reads what a doctor wrote', async () => {
    const made = await doctor.api.call('createRecord', {
      params: { id: patient.id },
      body: { type: 'diagnosis', title: 'Asthma', body: { icd10: 'J45.9', text: 'Asthma' } },
    });
    const session = sessionOf(
      await anonymous.call('patientLogin', {
        body: { ssn: patient.ssn, pin: '482915', password: PATIENT_PASSWORD },
      }),
    );
    expect(session.user).toMatchObject({ id: patient.id, role: 'patient', username: null });
    const asPatient = anonymous.withToken(session.token);
    const record = await asPatient.call('getRecord', { params: { id: made.id } });
    expect(record).toMatchObject({ id: made.id, title: 'Asthma', authorName: 'Dr Contract' });
    const rows = await asPatient.all('listRecords', { params: { id: patient.id } });
    expect(rows.map((r) => r.id)).toContain(made.id);
  });

  it('turns refusals into ApiError with the catalogue code', async () => {
    const notFound = await doctor.api
      .call('getRecord', { params: { id: 'no-such-record' } })
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(ApiError);
    expect(notFound).toMatchObject({ route: 'getRecord', status: 404, code: 'not_found' });
    await expect(anonymous.call('me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    await expect(pharmacist.call('search', { query: { keyword: 'asthma' } })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    const wrongPin = await anonymous.answer('patientLogin', {
      body: { ssn: patient.ssn, pin: '000000', password: PATIENT_PASSWORD },
    });
    expect(wrongPin.ok ? 'accepted' : wrongPin.error.code).toBe('login_failed');
  });

  it('cookie mode sends the CSRF header the server asks of cookie-authenticated writes', async () => {
    const token = await tokenFor(server.app, { userId: patient.id, role: 'patient' });
    // Node has no cookie jar: the browser would send the HttpOnly cookie itself.
    const withCookie: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), cookie: `${SESSION_COOKIE_NAME}=${token}` },
      });
    const viaCookie = createClient({
      baseUrl: server.url,
      credentials: { kind: 'cookie' },
      fetch: withCookie,
    });
    const { grant } = await viaCookie.call('createGrant', {
      params: { id: patient.id },
      body: { doctorId: doctor.actor.userId, recordTypes: ['lab_result'] },
    });
    expect(grant.status).toBe('active');
    // The same write without the header, as a cross-site form would send it, is refused.
    const forged = await withCookie(`${server.url}/api/v1/patients/${patient.id}/grants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ doctorId: doctor.actor.userId }),
    });
    expect(forged.status).toBe(403);
  });

  it('uploads and downloads an attachment byte for byte', async () => {
    const imaging = await doctor.api.call('createRecord', {
      params: { id: patient.id },
      body: {
        type: 'imaging',
        title: 'Chest X-ray',
        body: { modality: 'X-ray', bodyPart: 'Chest', findings: 'Clear.', impression: 'Normal.' },
      },
    });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...randomBytes(2000)]);
    const attachment = await uploadAttachment(
      doctor.api,
      imaging.id,
      new Blob([png], { type: 'image/png' }),
      'chest.png',
    );
    expect(attachment).toMatchObject({ contentType: 'image/png', size: png.length, fileName: 'chest.png' });
    const file = await downloadAttachment(doctor.api, { id: imaging.id, attachmentId: attachment.id });
    expect(Buffer.from(file.bytes).equals(Buffer.from(png))).toBe(true);
    expect(file).toMatchObject({ contentType: 'image/png', fileName: 'chest.png' });
    await expect(
      uploadAttachment(
        doctor.api,
        imaging.id,
        new Blob([new Uint8Array(100)], { type: 'image/png' }),
        'fake.png',
      ),
    ).rejects.toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('shows the pharmacist the 101st prescription: the queue is read page after page', async () => {
    const { app } = server;
    const pair = generateKeyPairSync('ed25519');
    // Test setup straight in the store: no admin may add a key to a doctor's account.
    await insertStaffKey(app.store.db, {
      ...acceptPublicKey(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      userId: doctor.actor.userId,
      now: Date.now(),
    });
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const ids = new Set<string>();
    for (let i = 0; i < 101; i++) {
      const signed = signPrescriptionDraft(pem, {
        patientId: patient.id,
        medicine: { id: 'ibuprofen-400mg-tablet', name: 'Ibuprofen', strength: '400 mg', form: 'tablet' },
        dose: '1 tablet',
        route: 'oral',
        frequency: 'every 8 hours',
        quantity: 10 + i,
        refills: 0,
        instructions: '',
        prescriberId: doctor.actor.userId,
        override: { reason: 'Repeat prescription in a test', warnings: [] },
      });
      // The first through HTTP (the client's body type is the signed request), the rest directly.
      const made =
        i === 0
          ? await doctor.api.call('submitPrescription', { body: signed })
          : await app.prescriptions.prescriptions.sign(scopeOf(doctor.actor), signed);
      ids.add(made.id);
    }
    // Signing checks every active prescription of the patient (duplicate therapy), so 100 of them
    // take longer than the server keeps an idle socket: the first request after may meet a socket
    // the server has just closed (ECONNRESET). One throwaway request lets the pool drop it.
    await fetch(`${server.url}/healthz`).catch(() => undefined);
    const firstPage = await pharmacist.call('prescriptionQueue', { query: { status: 'pending' } });
    expect(firstPage.items.length).toBeLessThan(101);
    expect(firstPage.nextCursor).not.toBeNull();
    const queue = await pharmacist.all('prescriptionQueue', { query: { status: 'pending' } });
    expect(queue.filter((item) => ids.has(item.id))).toHaveLength(101);
    expect(new Set(queue.map((item) => item.id)).size).toBe(queue.length);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { API_ROUTES } from '../../src/contract/api/routes.js';
import { jsonCaller } from '../support/http.js';
import { text } from '../support/json-answer.js';
import { identityOf, insertStaff, registration, tokenFor, type TestPatient } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { DIALECTS } from '../support/stores.js';

/**
 * Issue 14, the insider scenario, end to end over HTTP: a registrar registers a patient, the
 * patient enrols, and then the registrar uses every route its role has — and still cannot sign
 * in as the patient nor read a record. No answer the registrar gets carries a PIN, password,
 * recovery code or anything derived from them.
 */
describe.each(DIALECTS)('an insider registrar cannot take over a patient (%s)', (dialect) => {
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let registrar: Actor;
  let token: string;
  let doctor: Actor;
  let patient: TestPatient;
  let patientId: string;
  let enrolmentCode: string;
  let recoveryCode: string;
  /** Every answer body the registrar received, as text. */
  const seen: string[] = [];

  const asRegistrar = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, { token, ...(body === undefined ? {} : { body }) });
    seen.push(JSON.stringify(res.body ?? null));
    return res;
  };

  beforeAll(async () => {
    server = await startTestServer({ db: dialect });
    call = jsonCaller(server.url);
    registrar = await insertStaff(server.app.store.db, 'registrar');
    doctor = await insertStaff(server.app.store.db, 'doctor', 'Dr Insider Test');
    token = await tokenFor(server.app, registrar);
    patient = registration({ pin: '730518', password: 'quiet-meadow-trumpet-5521' });

    const reg = await asRegistrar('POST', '/api/v1/patients', identityOf(patient));
    expect(reg.status).toBe(201);
    // The answer is identity bookkeeping and the slip's code: nothing else.
    expect(Object.keys(reg.body).sort()).toEqual(['enrolmentCode', 'expiresAt', 'mrn', 'patientId']);
    patientId = text(reg.body.patientId);
    enrolmentCode = text(reg.body.enrolmentCode);
    await asRegistrar('POST', `/api/v1/patients/${patientId}/care-team`, { doctorId: doctor.userId });

    // The patient, at the portal, with the slip.
    const enrolled = await call('POST', '/api/v1/auth/patient/enrol', {
      body: { ssn: patient.ssn, enrolmentCode, pin: patient.pin, password: patient.password },
    });
    expect(enrolled.status).toBe(200);
    recoveryCode = text(enrolled.body.recoveryCode);
    await server.app.records.records.create(scopeOf(doctor), patientId, {
      type: 'diagnosis',
      title: 'Asthma',
      body: { icd10: 'J45.909', text: 'Asthma, uncomplicated' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the registrar, using every route its role has, cannot sign in as the patient nor read a record', async () => {
    const patientPath = `/api/v1/patients/${patientId}`;
    // Its own duties: demographics, list, care team, a new enrolment code, an assisted PIN reset.
    expect((await asRegistrar('GET', patientPath)).status).toBe(200);
    expect((await asRegistrar('GET', '/api/v1/patients')).status).toBe(200);
    const reissue = await asRegistrar('POST', `${patientPath}/enrolment-code`);
    expect([reissue.status, reissue.body.error?.code]).toEqual([409, 'already_enrolled']);
    const reset = await asRegistrar('POST', `${patientPath}/pin-reset`);
    expect(reset.status).toBe(200);
    const resetToken = text(reset.body.resetToken);

    // The slip's code again (the registrar saw it): spent.
    const reuse = await call('POST', '/api/v1/auth/patient/enrol', {
      body: { ssn: patient.ssn, enrolmentCode, pin: '111111', password: 'registrar-chosen-secret-77' },
    });
    expect([reuse.status, reuse.body.error?.code]).toEqual([409, 'enrolment_code_used']);
    // Registering the SSN again, to start over: refused.
    expect((await asRegistrar('POST', '/api/v1/patients', identityOf(patient))).status).toBe(409);

    // The reset token alone is not enough: it needs the password only the patient knows.
    // (Four attempts on the SSN in all, the spent code's included: one short of the lockout, so
    // the patient gets in after; a fifth would lock the account for a minute, not open it.)
    for (const guess of ['password-the-registrar-guesses-1']) {
      const r = await call('POST', '/api/v1/auth/pin-reset', {
        body: { ssn: patient.ssn, password: guess, resetToken, newPin: '222333' },
      });
      expect([r.status, r.body.error?.code]).toEqual([401, 'login_failed']);
    }
    // Nor is anything the registrar knows a way in: SSN, name, date of birth, slip code.
    const login = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: patient.ssn, pin: '222333', password: enrolmentCode },
    });
    expect(login.status).toBe(401);
    const recover = await call('POST', '/api/v1/auth/pin-recovery', {
      body: {
        ssn: patient.ssn,
        password: enrolmentCode,
        dateOfBirth: patient.dateOfBirth,
        recoveryCode: enrolmentCode,
        newPin: '222333',
      },
    });
    expect(recover.status).toBe(401);

    // Every GET route of the API with the patient's id where it takes one: no record, no secret.
    for (const route of Object.values(API_ROUTES)) {
      if (route.method !== 'GET' || route.path.includes('/fhir/')) continue;
      const path = route.path.replace(':id', patientId).replace(/:[A-Za-z]+/g, patientId);
      const res = await asRegistrar('GET', path);
      if (/records|access-log|prescriptions|attachments|search|account/.test(path))
        expect(res.status, path).toBeGreaterThanOrEqual(400);
    }
    // The patient's records, their account, their sessions: refused.
    expect((await asRegistrar('GET', `${patientPath}/records`)).status).toBe(403);
    expect((await asRegistrar('GET', '/api/v1/account/sessions')).status).toBe(403);
    expect(
      (await asRegistrar('POST', '/api/v1/account/recovery-code', { pin: '222333', password: 'x' })).status,
    ).toBe(403);

    // Nothing the registrar was ever answered holds a credential or anything derived from them.
    const all = seen.join('\n');
    const { db } = server.app.store;
    const stored = await db
      .selectFrom('patients')
      .select(['pin_hash', 'password_hash', 'recovery_hash'])
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    for (const secret of [
      patient.pin,
      patient.password,
      recoveryCode,
      recoveryCode.replace(/-/g, ''),
      stored.pin_hash,
      stored.password_hash,
      stored.recovery_hash,
    ])
      expect(all).not.toContain(secret);

    // The patient still gets in with their own secrets, and sees the registrar's reset in their history.
    const own = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: patient.ssn, pin: patient.pin, password: patient.password },
    });
    expect([own.status, own.body.error?.message]).toEqual([200, undefined]);
    const history = await call('GET', `${patientPath}/access-log?limit=100`, { token: text(own.body.token) });
    expect(history.status).toBe(200);
    const actions = (
      history.body.entries as unknown as Array<{ action: string; actorId: string | null }>
    ).map((e) => `${e.action}:${e.actorId === registrar.userId ? 'registrar' : 'other'}`);
    expect(actions).toEqual(
      expect.arrayContaining(['pin.reset:registrar', 'patient.register:registrar', 'patient.enrol:other']),
    );
  });
});

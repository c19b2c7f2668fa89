import { scopeOf } from '../support/scopes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { jsonCaller } from '../support/http.js';
import { insertStaff, registration, tokenFor } from '../support/people.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { num, text } from '../support/json-answer.js';

/** Care teams, grants, the doctor directory and break-glass over HTTP on a live server (SQLite). */
describe('sharing over HTTP', () => {
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let tokens: Record<'registrar' | 'doctor' | 'admin' | 'patientA' | 'patientB', string>;
  let doctor: Actor;
  let a: string;
  let b: string;

  beforeAll(async () => {
    server = await startTestServer();
    call = jsonCaller(server.url);
    const db = server.app.store.db;
    const registrar = await insertStaff(db, 'registrar');
    doctor = await insertStaff(db, 'doctor', 'Dr Okafor');
    a = (await server.app.identity.patients.register(scopeOf(registrar), registration())).patientId;
    b = (await server.app.identity.patients.register(scopeOf(registrar), registration())).patientId;
    tokens = {
      registrar: await tokenFor(server.app, registrar),
      doctor: await tokenFor(server.app, doctor),
      admin: await tokenFor(server.app, await insertStaff(db, 'admin')),
      patientA: await tokenFor(server.app, { userId: a, role: 'patient' }),
      patientB: await tokenFor(server.app, { userId: b, role: 'patient' }),
    };
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists active doctors for any logged-in user, and nobody else', async () => {
    const res = await call('GET', '/api/v1/doctors', { token: tokens.patientA });
    expect(res.status).toBe(200);
    expect(res.body.doctors).toContainEqual({ id: doctor.userId, displayName: 'Dr Okafor' });
    expect((await call('GET', '/api/v1/doctors')).status).toBe(401);
  });

  it('grant, list, revoke: the doctor sees the patient while granted; another patient gets 404', async () => {
    const created = await call('POST', `/api/v1/patients/${a}/grants`, {
      token: tokens.patientA,
      body: {
        doctorId: doctor.userId,
        recordTypes: ['lab_result'],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    const grantId = text(created.body.grant?.id);
    expect(created.body.grant).toMatchObject({
      doctorId: doctor.userId,
      recordTypes: ['lab_result'],
      status: 'active',
    });

    const mine = await call('GET', '/api/v1/patients', { token: tokens.doctor });
    expect(mine.body.patients).toContainEqual(expect.objectContaining({ id: a, relation: 'grant' }));
    expect((await call('GET', `/api/v1/patients/${a}`, { token: tokens.doctor })).status).toBe(200);

    for (const [method, path] of [
      ['GET', `/api/v1/patients/${a}/grants`],
      ['DELETE', `/api/v1/patients/${a}/grants/${grantId}`],
    ] as const) {
      const res = await call(method, path, { token: tokens.patientB });
      expect(res.status).toBe(404);
      expect(res.body.error?.code).toBe('not_found');
    }
    expect(
      (
        await call('POST', `/api/v1/patients/${a}/grants`, {
          token: tokens.patientB,
          body: { doctorId: doctor.userId },
        })
      ).status,
    ).toBe(404);
    expect((await call('GET', `/api/v1/patients/${a}/grants`, { token: tokens.doctor })).status).toBe(403);
    expect(
      (await call('GET', `/api/v1/patients/${a}/grants`, { token: tokens.patientA })).body.grants,
    ).toHaveLength(1);

    expect(
      (await call('DELETE', `/api/v1/patients/${a}/grants/${grantId}`, { token: tokens.patientA })).status,
    ).toBe(204);
    expect((await call('GET', `/api/v1/patients/${a}`, { token: tokens.doctor })).status).toBe(404);
  });

  it('care team: registrar assigns (201, then 200), removes (204, then 404); a bad doctor is 400', async () => {
    const path = `/api/v1/patients/${b}/care-team`;
    expect(
      (await call('POST', path, { token: tokens.registrar, body: { doctorId: doctor.userId } })).status,
    ).toBe(201);
    expect(
      (await call('POST', path, { token: tokens.registrar, body: { doctorId: doctor.userId } })).status,
    ).toBe(200);
    expect(
      (await call('POST', path, { token: tokens.doctor, body: { doctorId: doctor.userId } })).status,
    ).toBe(403);
    const bad = await call('POST', path, { token: tokens.registrar, body: { doctorId: b } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('invalid_doctor');
    expect((await call('GET', `/api/v1/patients/${b}`, { token: tokens.doctor })).status).toBe(200);
    expect((await call('DELETE', `${path}/${doctor.userId}`, { token: tokens.registrar })).status).toBe(204);
    expect((await call('DELETE', `${path}/${doctor.userId}`, { token: tokens.registrar })).status).toBe(404);
    expect((await call('GET', `/api/v1/patients/${b}`, { token: tokens.doctor })).status).toBe(404);
  });

  it('break-glass: a doctor opens access for an hour (201); others 403; unknown patient 404', async () => {
    const reason = { reason: 'Cardiac arrest in the lobby, no records on hand' };
    expect(
      (await call('POST', `/api/v1/patients/${b}/break-glass`, { token: tokens.registrar, body: reason }))
        .status,
    ).toBe(403);
    expect(
      (await call('POST', `/api/v1/patients/${b}/break-glass`, { token: tokens.admin, body: reason })).status,
    ).toBe(403);
    expect(
      (await call('POST', '/api/v1/patients/nobody/break-glass', { token: tokens.doctor, body: reason }))
        .status,
    ).toBe(404);
    const opened = await call('POST', `/api/v1/patients/${b}/break-glass`, {
      token: tokens.doctor,
      body: reason,
    });
    expect(opened.status).toBe(201);
    expect(num(opened.body.expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);
    const mine = await call('GET', '/api/v1/patients', { token: tokens.doctor });
    expect(mine.body.patients).toContainEqual(expect.objectContaining({ id: b, relation: 'break_glass' }));
  });

  it('the routes are in the OpenAPI document under their tags', async () => {
    const doc = (await call('GET', '/api/openapi.json')).body;
    for (const path of [
      '/api/v1/auth/patient/login',
      '/api/v1/auth/pin-recovery',
      '/api/v1/auth/pin-reset',
      '/api/v1/patients',
      '/api/v1/patients/{id}',
      '/api/v1/patients/{id}/pin-reset',
      '/api/v1/patients/{id}/care-team',
      '/api/v1/patients/{id}/care-team/{doctorId}',
      '/api/v1/patients/{id}/grants',
      '/api/v1/patients/{id}/grants/{grantId}',
      '/api/v1/patients/{id}/break-glass',
      '/api/v1/doctors',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { MAX_FAILURES } from '../../src/app/identity/lockout.js';
import { jsonCaller } from '../support/http.js';
import { identityOf, insertStaff, registration, tokenFor } from '../support/people.js';
import { items, text } from '../support/json-answer.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The patient routes over HTTP on a live server (SQLite), with production argon2id parameters:
 * registration, login, lockout, recovery and reset, as a browser or script sees them.
 */
describe('patient identity over HTTP', () => {
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let registrar: Actor;
  let registrarToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    call = jsonCaller(server.url);
    registrar = await insertStaff(server.app.store.db, 'registrar');
    registrarToken = await tokenFor(server.app, registrar);
  });
  afterAll(async () => {
    await server.close();
  });

  /** Everything typed in these tests that must never reach the ledger. */
  const typed: string[] = [];
  const register = async (over: Partial<ReturnType<typeof registration>> = {}) => {
    const reg = registration(over);
    typed.push(reg.ssn, reg.fullName, reg.dateOfBirth, reg.pin, reg.password);
    const res = await call('POST', '/api/v1/patients', { token: registrarToken, body: identityOf(reg) });
    expect(res.status).toBe(201);
    const enrolmentCode = text(res.body.enrolmentCode);
    typed.push(enrolmentCode);
    // The patient activates with the slip's code and chooses PIN and password.
    const enrolled = await call('POST', '/api/v1/auth/patient/enrol', {
      body: { ssn: reg.ssn, enrolmentCode, pin: reg.pin, password: reg.password },
    });
    expect(enrolled.status).toBe(200);
    const recoveryCode = text(enrolled.body.recoveryCode);
    typed.push(recoveryCode);
    return { reg, patientId: text(res.body.patientId), recoveryCode };
  };

  it('registers (201), refuses a second registration of the SSN (409, naming nobody), and other roles (401/403)', async () => {
    const { reg, patientId } = await register({ fullName: 'Hester Abernathy' });
    const dup = await call('POST', '/api/v1/patients', {
      token: registrarToken,
      body: { ...identityOf(reg), fullName: 'Someone Else' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error?.code).toBe('duplicate_patient');
    expect(JSON.stringify(dup.body)).not.toMatch(new RegExp(`${reg.ssn}|${patientId}|Hester`));
    const adminToken = await tokenFor(server.app, await insertStaff(server.app.store.db, 'admin'));
    const someone = identityOf(registration());
    expect((await call('POST', '/api/v1/patients', { token: adminToken, body: someone })).status).toBe(403);
    expect((await call('POST', '/api/v1/patients', { body: someone })).status).toBe(401);
    // A registration carrying a PIN or password is refused whole (400): the registrar sets none.
    const withPin = await call('POST', '/api/v1/patients', {
      token: registrarToken,
      body: { ...someone, pin: '123456', password: 'registrar-chosen-secret-1' },
    });
    expect(withPin.status).toBe(400);

    const shown = await call('GET', `/api/v1/patients/${patientId}`, { token: registrarToken });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: patientId,
      fullName: 'Hester Abernathy',
      maskedSsn: `***-**-${reg.ssn.slice(-4)}`,
    });
    expect(
      (await call('GET', '/api/v1/patients/00000000-0000-4000-8000-000000000000', { token: registrarToken }))
        .status,
    ).toBe(404);
    const list = await call('GET', '/api/v1/patients?limit=5', { token: registrarToken });
    expect(list.status).toBe(200);
    expect(items(list.body.patients).map((p) => p.id)).toContain(patientId);
  });

  it("logs in: {token, user} and an HttpOnly SameSite=Strict cookie; the token opens the patient's own data", async () => {
    const { reg, patientId } = await register();
    const res = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: reg.ssn, pin: reg.pin, password: reg.password },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.any(String),
      user: { id: patientId, role: 'patient', username: null, displayName: null },
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/medvault_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect((await call('GET', `/api/v1/patients/${patientId}`, { token: text(res.body.token) })).status).toBe(
      200,
    );
  });

  it('wrong PIN, wrong password and unknown SSN: identical status and body', async () => {
    const { reg } = await register();
    const answers = await Promise.all([
      call('POST', '/api/v1/auth/patient/login', {
        body: { ssn: reg.ssn, pin: '000000', password: reg.password },
      }),
      call('POST', '/api/v1/auth/patient/login', {
        body: { ssn: reg.ssn, pin: reg.pin, password: 'definitely-not-it-2024' },
      }),
      call('POST', '/api/v1/auth/patient/login', {
        body: { ssn: '987-65-4320', pin: reg.pin, password: reg.password },
      }),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body).toEqual(answers[0]!.body);
      expect(a.headers.get('retry-after')).toBeNull();
    }
    expect(answers[0]!.body.error?.code).toBe('login_failed');
  });

  it(`after ${MAX_FAILURES} failures a sixth, correct attempt is refused with 429 and Retry-After`, async () => {
    const { reg } = await register();
    for (let i = 0; i < MAX_FAILURES; i++) {
      const bad = await call('POST', '/api/v1/auth/patient/login', {
        body: { ssn: reg.ssn, pin: '999999', password: reg.password },
      });
      expect(bad.status).toBe(401);
    }
    const good = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: reg.ssn, pin: reg.pin, password: reg.password },
    });
    expect(good.status).toBe(429);
    expect(Number(good.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(good.body.error?.code).toBe('rate_limited');
  });

  it('PIN recovery: one wrong factor is the generic 401; success issues a new code and the new PIN works', async () => {
    const { reg, recoveryCode } = await register();
    const body = {
      ssn: reg.ssn,
      password: reg.password,
      dateOfBirth: reg.dateOfBirth,
      recoveryCode,
      newPin: '753159',
    };
    const wrong = await call('POST', '/api/v1/auth/pin-recovery', {
      body: { ...body, dateOfBirth: '1984-07-20' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('login_failed');
    const ok = await call('POST', '/api/v1/auth/pin-recovery', { body });
    expect(ok.status).toBe(200);
    expect(ok.body.recoveryCode).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    expect(ok.body.recoveryCode).not.toBe(recoveryCode);
    const oldPin = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: reg.ssn, pin: reg.pin, password: reg.password },
    });
    expect(oldPin.status).toBe(401);
    const newPin = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: reg.ssn, pin: '753159', password: reg.password },
    });
    expect(newPin.status).toBe(200);
  });

  it('registrar-assisted reset: a token (registrar only) that sets the PIN once', async () => {
    const { reg, patientId } = await register();
    const doctorToken = await tokenFor(server.app, await insertStaff(server.app.store.db, 'doctor'));
    expect(
      (await call('POST', `/api/v1/patients/${patientId}/pin-reset`, { token: doctorToken })).status,
    ).toBe(403);
    const issued = await call('POST', `/api/v1/patients/${patientId}/pin-reset`, { token: registrarToken });
    expect(issued.status).toBe(200);
    const body = {
      ssn: reg.ssn,
      password: reg.password,
      resetToken: issued.body.resetToken,
      newPin: '864209',
    };
    expect((await call('POST', '/api/v1/auth/pin-reset', { body })).status).toBe(204);
    const again = await call('POST', '/api/v1/auth/pin-reset', { body: { ...body, newPin: '111222' } });
    expect(again.status).toBe(401);
    const login = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: reg.ssn, pin: '864209', password: reg.password },
    });
    expect(login.status).toBe(200);
  });

  it('wrote every action to the audit ledger, with nothing typed in it', async () => {
    const rows = await server.app.store.db.selectFrom('ledger_entries').selectAll().execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of [
      'patient.register',
      'login.success',
      'login.failure',
      'account.locked',
      'pin.recover',
      'pin.reset',
    ]) {
      expect(actions, a).toContain(a);
    }
    // The columns an entry's content lives in (hashes, MACs and times are hex and digits).
    const text = JSON.stringify(
      rows.map((r) => [r.actor_id, r.action, r.target_type, r.target_id, r.patient_id, r.details]),
    );
    for (const value of [...typed, '753159', '864209', '999999']) expect(text, value).not.toContain(value);
  });
});

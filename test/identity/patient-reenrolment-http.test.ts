import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import {
  GOOD_PASSWORD,
  insertStaff,
  registerEnrolled,
  registration,
  tokenFor,
  type TestPatient,
} from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { DIALECTS } from '../support/stores.js';
import { items, text } from '../support/json-answer.js';
import { httpLogin, liveServer, type Answer, type Caller } from './staff-http-client.js';
import type { TestServer } from '../support/server.js';

const NEW_PIN = '271828';
const NEW_PASSWORD = 'copper-lighthouse-violin-2291';
const code = (res: Answer): unknown => res.body?.error?.code;

/**
 * Issue 14, patient re-enrolment and the MFA policy from the attacker's side, over HTTP: a
 * registrar cannot approve its own request, doctors, pharmacists and admins cannot ask for or
 * decide one, an expired request is refused and changes nothing; the approval clears PIN,
 * password and recovery code, ends every session, removes passkeys and TOTP apps, hands the code
 * to the approver only, is ledgered about the patient, and the patient is told at their next
 * sign-in. A lone admin cannot change the MFA policy.
 */
describe.each(DIALECTS)('re-enrolment and the MFA policy under the two-person rule (%s)', (dialect) => {
  let server: TestServer;
  let call: Caller;
  let dispose: () => Promise<void>;
  const t: Record<'reg1' | 'reg2' | 'admin1' | 'admin2' | 'doctor' | 'pharmacist', string> = {
    reg1: '',
    reg2: '',
    admin1: '',
    admin2: '',
    doctor: '',
    pharmacist: '',
  };
  let registrar: Actor;

  beforeAll(async () => {
    ({ server, call, dispose } = await liveServer(dialect));
    const db = server.app.store.db;
    registrar = await insertStaff(db, 'registrar', 'Rita Registrar');
    t.reg1 = await tokenFor(server.app, registrar);
    t.reg2 = await tokenFor(server.app, await insertStaff(db, 'registrar', 'Rob Registrar'));
    t.admin1 = await tokenFor(server.app, await insertStaff(db, 'admin', 'Ada Admin'));
    t.admin2 = await tokenFor(server.app, await insertStaff(db, 'admin', 'Abe Admin'));
    t.doctor = await tokenFor(server.app, await insertStaff(db, 'doctor'));
    t.pharmacist = await tokenFor(server.app, await insertStaff(db, 'pharmacist'));
  });
  afterAll(async () => {
    await dispose();
  });

  const as = (who: keyof typeof t, method: string, path: string, body?: unknown) =>
    call(method, path, { token: t[who], ...(body === undefined ? {} : { body }) });
  const patientLogin = (p: TestPatient, pin = p.pin, password = p.password) =>
    call('POST', '/api/v1/auth/patient/login', { body: { ssn: p.ssn, pin, password } });
  const enrolled = async (): Promise<{ p: TestPatient; id: string; token: string }> => {
    const p = registration();
    const { patientId } = await registerEnrolled(server.app, scopeOf(registrar), p);
    const login = await patientLogin(p);
    expect(login.status).toBe(200);
    return { p, id: patientId, token: text(login.body.token) };
  };
  /** A confirmed TOTP app and a passkey, written straight into the store. */
  const addFactors = async (userId: string): Promise<void> => {
    const now = Date.now();
    const base = { user_id: userId, created_at: now, confirmed_at: now, last_used_at: null, last_step: null };
    await server.app.store.db
      .insertInto('second_factors')
      .values([
        {
          ...base,
          id: randomUUID(),
          kind: 'totp',
          label: 'App',
          secret_ct: Buffer.alloc(8),
          credential_id: null,
          public_key: null,
          sign_count: null,
          transports: null,
        },
        {
          ...base,
          id: randomUUID(),
          kind: 'passkey',
          label: 'Key',
          secret_ct: null,
          credential_id: randomUUID(),
          public_key: Buffer.alloc(8),
          sign_count: 0,
          transports: '[]',
        },
      ])
      .execute();
  };
  const factorCount = async (userId: string): Promise<number> =>
    (
      await server.app.store.db
        .selectFrom('second_factors')
        .select('id')
        .where('user_id', '=', userId)
        .execute()
    ).length;

  it('a registrar asks, a DIFFERENT registrar approves and alone receives the code; the old credentials, sessions and factors are gone; the patient is told', async () => {
    const { p, id, token } = await enrolled();
    await addFactors(id);

    // Nobody but a registrar may ask.
    for (const who of ['doctor', 'pharmacist', 'admin1'] as const)
      expect((await as(who, 'POST', `/api/v1/patients/${id}/reenrol`)).status).toBe(403);
    const asked = await as('reg1', 'POST', `/api/v1/patients/${id}/reenrol`);
    expect(asked).toMatchObject({ status: 201, body: { kind: 'patient.reenrol', status: 'pending' } });
    const requestId = text(asked.body.id);
    expect(code(await as('reg2', 'POST', `/api/v1/patients/${id}/reenrol`))).toBe('approval_pending');

    // The requester cannot approve it, however often; others of the wrong role cannot either.
    for (let i = 0; i < 2; i++) {
      const own = await as('reg1', 'POST', `/api/v1/approvals/${requestId}/approve`);
      expect(own.status).toBe(403);
      expect(code(own)).toBe('approval_own_request');
    }
    expect(code(await as('admin1', 'POST', `/api/v1/approvals/${requestId}/approve`))).toBe(
      'approval_wrong_role',
    );
    for (const who of ['doctor', 'pharmacist'] as const)
      expect((await as(who, 'POST', `/api/v1/approvals/${requestId}/approve`)).status).toBe(403);
    // Nothing changed yet: the old PIN and password still pass (a second factor follows), the session holds.
    expect((await patientLogin(p)).status).toBe(202);
    expect((await call('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    // Admins do not see the request in their list; the other registrar does.
    expect(
      items((await as('admin2', 'GET', '/api/v1/approvals')).body.approvals).map((a) => text(a.id)),
    ).not.toContain(requestId);
    const listed = items((await as('reg2', 'GET', '/api/v1/approvals')).body.approvals).find(
      (a) => text(a.id) === requestId,
    );
    expect(listed).toMatchObject({ kind: 'patient.reenrol', requestedByName: 'Rita Registrar' });

    const approved = await as('reg2', 'POST', `/api/v1/approvals/${requestId}/approve`);
    expect(approved).toMatchObject({ status: 200, body: { approval: { status: 'approved' } } });
    expect(approved.headers.get('cache-control')).toBe('no-store');
    const enrolmentCode = text(approved.body.enrolment?.enrolmentCode);
    expect(enrolmentCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    // The requester's page shows the state, never the code.
    const seen = await as('reg1', 'GET', `/api/v1/patients/${id}/reenrol`);
    expect(seen).toMatchObject({ status: 200, body: { request: { id: requestId, status: 'approved' } } });
    expect(JSON.stringify(seen.body)).not.toContain(enrolmentCode);
    expect(code(await as('reg2', 'POST', `/api/v1/approvals/${requestId}/approve`))).toBe('approval_decided');
    // Neither registrar can print a code alone now: the code went to the approver only.
    const reissue = await as('reg1', 'POST', `/api/v1/patients/${id}/enrolment-code`);
    expect(reissue.status).toBe(409);
    expect(code(reissue)).toBe('already_enrolled');
    // A lost re-enrolment code is a new request for two registrars again (refused here).
    const again = await as('reg1', 'POST', `/api/v1/patients/${id}/reenrol`);
    expect(again.status).toBe(201);
    expect((await as('reg2', 'POST', `/api/v1/approvals/${text(again.body.id)}/refuse`)).status).toBe(200);

    // Old PIN and password no longer work; the session ended; passkeys and TOTP are gone.
    const old = await patientLogin(p);
    expect(old.status).toBe(403);
    expect(code(old)).toBe('not_enrolled');
    expect((await call('GET', '/api/v1/auth/me', { token })).status).toBe(401);
    expect(await factorCount(id)).toBe(0);

    // The patient enrols with the new code (a wrong one fails), signs in and is told.
    expect(
      (
        await call('POST', '/api/v1/auth/patient/enrol', {
          body: {
            ssn: p.ssn,
            enrolmentCode: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA',
            pin: NEW_PIN,
            password: NEW_PASSWORD,
          },
        })
      ).status,
    ).toBe(401);
    const enrol = await call('POST', '/api/v1/auth/patient/enrol', {
      body: { ssn: p.ssn, enrolmentCode, pin: NEW_PIN, password: NEW_PASSWORD },
    });
    expect(enrol.status).toBe(200);
    expect((await patientLogin(p)).status).toBe(401);
    const fresh = await patientLogin(p, NEW_PIN, NEW_PASSWORD);
    expect(fresh.status).toBe(200);
    const mine = { token: text(fresh.body.token) };
    const notices = await call('GET', '/api/v1/me/notices', mine);
    expect(notices.status).toBe(200);
    const [notice] = items(notices.body.notices);
    expect(text(notice?.text)).toMatch(
      /^Your account was re-enrolled on \d{4}-\d{2}-\d{2} at the request of Rita Registrar\./,
    );
    // Another person cannot dismiss it; the patient can, once.
    expect((await as('reg1', 'POST', `/api/v1/me/notices/${text(notice?.id)}/dismiss`)).status).toBe(404);
    expect((await call('POST', `/api/v1/me/notices/${text(notice?.id)}/dismiss`, mine)).status).toBe(204);
    expect((await call('POST', `/api/v1/me/notices/${text(notice?.id)}/dismiss`, mine)).status).toBe(404);
    expect(items((await call('GET', '/api/v1/me/notices', mine)).body.notices)).toEqual([]);

    // Request, approval, the re-enrolment and the code's issue show in the patient's history.
    const history = await call('GET', `/api/v1/patients/${id}/access-log?limit=100`, mine);
    const actions = items(history.body.entries).map((e) => text(e.action));
    for (const action of ['approval.request', 'approval.approve', 'patient.reenrol', 'enrolment.issue'])
      expect(actions).toContain(action);
    // The ledger never holds the code.
    const entries = await server.app.audit.ledger.entries(
      server.app.store.db,
      { patientId: id },
      { limit: 200 },
    );
    expect(JSON.stringify(entries)).not.toContain(enrolmentCode);
  });

  it('an expired request is refused and changes nothing; a patient who never enrolled cannot be re-enrolled', async () => {
    const { p, id, token } = await enrolled();
    await addFactors(id);
    const asked = await as('reg1', 'POST', `/api/v1/patients/${id}/reenrol`);
    await server.app.store.db
      .updateTable('approval_requests')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', text(asked.body.id))
      .execute();
    const late = await as('reg2', 'POST', `/api/v1/approvals/${text(asked.body.id)}/approve`);
    expect(late.status).toBe(409);
    expect(code(late)).toBe('approval_expired');
    expect(late.body).not.toHaveProperty('enrolment');
    expect((await patientLogin(p)).status).toBe(202);
    expect((await call('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    expect(await factorCount(id)).toBe(2);

    const { patientId: pending } = await server.app.identity.patients.register(scopeOf(registrar), {
      ssn: registration().ssn,
      fullName: 'Never Enrolled',
      dateOfBirth: '1970-01-01',
      smokingStatus: 'never',
    });
    expect(code(await as('reg1', 'POST', `/api/v1/patients/${pending}/reenrol`))).toBe(
      'reenrol_not_enrolled',
    );
    expect((await as('reg1', 'POST', `/api/v1/patients/${randomUUID()}/reenrol`)).status).toBe(404);
  });

  it('a lone admin cannot change the MFA policy; a second admin can, and the stored policy overrides the default', async () => {
    const patientPolicy = async () =>
      items((await as('admin1', 'GET', '/api/v1/admin/second-factor-policy')).body.roles).find(
        (r) => text(r.role) === 'patient',
      );
    expect(await patientPolicy()).toEqual({
      role: 'patient',
      policy: 'optional',
      default: 'optional',
      changed: false,
    });
    for (const who of ['reg1', 'doctor', 'pharmacist'] as const)
      expect(
        (await as(who, 'POST', '/api/v1/approvals/mfa-policy', { role: 'patient', policy: 'required' }))
          .status,
      ).toBe(403);
    const asked = await as('admin1', 'POST', '/api/v1/approvals/mfa-policy', {
      role: 'patient',
      policy: 'required',
    });
    expect(asked).toMatchObject({ status: 201, body: { kind: 'mfa.policy' } });
    const id = text(asked.body.id);
    expect(code(await as('admin1', 'POST', `/api/v1/approvals/${id}/approve`))).toBe('approval_own_request');
    expect(code(await as('reg2', 'POST', `/api/v1/approvals/${id}/approve`))).toBe('approval_wrong_role');
    const { p } = await enrolled(); // still optional: a patient without a factor gets a session
    expect(await patientPolicy()).toMatchObject({ policy: 'optional' });

    expect((await as('admin2', 'POST', `/api/v1/approvals/${id}/approve`)).status).toBe(200);
    expect(await patientPolicy()).toEqual({
      role: 'patient',
      policy: 'required',
      default: 'optional',
      changed: true,
    });
    // From the next sign-in on: a patient without a factor must add one first.
    const login = await patientLogin(p);
    expect(login).toMatchObject({ status: 202, body: { secondFactor: { stage: 'enrol' } } });
    const changes = await server.app.audit.ledger.entries(
      server.app.store.db,
      { action: 'mfa.policy_change' },
      { limit: 10 },
    );
    expect(changes.entries).toHaveLength(1);
    expect(changes.entries[0]).toMatchObject({
      details: { role: 'patient', policy: 'required', from: 'optional' },
    });
    // Asking for the policy in force is refused; put it back (two admins again).
    expect(
      (await as('admin2', 'POST', '/api/v1/approvals/mfa-policy', { role: 'patient', policy: 'required' }))
        .status,
    ).toBe(400);
    const back = await as('admin2', 'POST', '/api/v1/approvals/mfa-policy', {
      role: 'patient',
      policy: 'optional',
    });
    expect((await as('admin1', 'POST', `/api/v1/approvals/${text(back.body.id)}/approve`)).status).toBe(200);
    expect((await patientLogin(p)).status).toBe(200);
  });

  it('a re-enrolled staff member is told at their next sign-in, and their second factors are gone', async () => {
    const admin1 = t.admin1;
    const made = await call('POST', '/api/v1/admin/users', {
      token: admin1,
      body: { role: 'doctor', username: `dr.told.${randomUUID().slice(0, 6)}`, displayName: 'Dr Told' },
    });
    const username = text(made.body.user?.username);
    const first = generateSigningKeyPair('ed25519');
    await call('POST', '/api/v1/auth/staff/enrol', {
      body: {
        inviteCode: text(made.body.invite?.code),
        password: GOOD_PASSWORD,
        publicKeyPem: first.publicKeyPem,
      },
    });
    expect(
      (await as('admin2', 'POST', `/api/v1/approvals/${text(made.body.approvalId)}/approve`)).status,
    ).toBe(200);
    const doctorId = text(made.body.user?.id);
    await addFactors(doctorId);

    const reenrol = await call('POST', `/api/v1/admin/users/${doctorId}/reenrol`, { token: admin1 });
    const approved = await as('admin2', 'POST', `/api/v1/approvals/${text(reenrol.body.approvalId)}/approve`);
    expect(approved.status).toBe(200);
    expect(await factorCount(doctorId)).toBe(0);
    const second = generateSigningKeyPair('ed25519');
    expect(
      (
        await call('POST', '/api/v1/auth/staff/enrol', {
          body: {
            inviteCode: text(approved.body.invite?.code),
            password: NEW_PASSWORD,
            publicKeyPem: second.publicKeyPem,
          },
        })
      ).status,
    ).toBe(201);
    const login = await httpLogin(call, username, NEW_PASSWORD, { algorithm: 'ed25519', ...second });
    expect(login.status).toBe(200);
    const notices = await call('GET', '/api/v1/me/notices', { token: text(login.body.token) });
    expect(text(items(notices.body.notices)[0]?.text)).toMatch(
      /re-enrolled on .* at the request of Ada Admin/,
    );
  });
});

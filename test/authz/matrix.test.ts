import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { contractProblems } from '../support/contract-answers.js';
import { text, type JsonAnswer } from '../support/json-answer.js';
import { jsonCaller } from '../support/http.js';
import {
  identityOf,
  insertStaff,
  PATIENT_PASSWORD,
  registerEnrolled,
  registration,
  sign,
  tokenFor,
} from '../support/people.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';
import { signPrescriptionDraft, type SignedRequest } from '../../src/app/prescriptions/offline-signing.js';
import { scopeOf } from '../support/scopes.js';
import { API_ROUTES, routeNamed } from '../../src/contract/api/routes.js';
import { patientsShown } from '../support/patient-identity.js';
import { acceptPublicKey } from '../../src/app/identity/staff-input.js';
import { ownKeyBody } from '../../src/cli/staff-enrol.js';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { insertStaffKey } from '../../src/store/staff-key-repository.js';
import { findUserById } from '../../src/store/user-repository.js';
import { insertNotice } from '../../src/store/reenrolment-repository.js';
import { oathtool } from '../support/oathtool.js';

/**
 * Issue 4's authorization matrix: every route in the OpenAPI document × every caller (role and,
 * for doctors and patients, relationship to the patient in the path), with the expected status,
 * against a live server on every dialect. A route missing from the table (or a row naming no
 * route) fails. Each request carries a VALID body and parameters, so the status reflects the
 * access decision, not validation.
 *
 * 'doctor:granted' holds a grant with scope 'read_write'; 'doctor:read-grant' a grant with the
 * default scope 'read': it reads what the granted doctor reads and writes nothing (403
 * `read_only_access`: it may see the patient, so refusing says nothing new).
 */

const CALLERS = [
  'anonymous',
  'admin',
  'registrar',
  'doctor:care-team',
  'doctor:granted',
  'doctor:read-grant',
  'doctor:revoked',
  'doctor:expired',
  'doctor:break-glass',
  'doctor:stranger',
  'pharmacist',
  'patient:own',
  'patient:other',
] as const;
type Caller = (typeof CALLERS)[number];
type DoctorCaller = Extract<Caller, `doctor:${string}`>;
type DoctorRelation = DoctorCaller extends `doctor:${infer R}` ? R : never;

/** Expected statuses; doctors and patients either one status or one per relationship. */
interface Expect {
  anonymous: number;
  admin: number;
  registrar: number;
  doctor: number | Record<DoctorRelation, number>;
  pharmacist: number;
  patient: number | { own: number; other: number };
}

function expand(e: Expect): Record<Caller, number> {
  const doc = (r: DoctorRelation): number => (typeof e.doctor === 'number' ? e.doctor : e.doctor[r]);
  const pat = (r: 'own' | 'other'): number => (typeof e.patient === 'number' ? e.patient : e.patient[r]);
  return {
    anonymous: e.anonymous,
    admin: e.admin,
    registrar: e.registrar,
    'doctor:care-team': doc('care-team'),
    'doctor:granted': doc('granted'),
    'doctor:read-grant': doc('read-grant'),
    'doctor:revoked': doc('revoked'),
    'doctor:expired': doc('expired'),
    'doctor:break-glass': doc('break-glass'),
    'doctor:stranger': doc('stranger'),
    pharmacist: e.pharmacist,
    'patient:own': pat('own'),
    'patient:other': pat('other'),
  };
}

/** A doctor reading P through care team, an active grant (any scope) or an open break-glass; not otherwise. */
const REACHES = (allowed: number, refused = 404): Record<DoctorRelation, number> => ({
  'care-team': allowed,
  granted: allowed,
  'read-grant': allowed,
  revoked: refused,
  expired: refused,
  'break-glass': allowed,
  stranger: refused,
});

/** A doctor writing for P: as REACHES, but a grant that only reads is refused (403 read_only_access). */
const REACHES_TO_WRITE = (allowed: number): Record<DoctorRelation, number> => ({
  ...REACHES(allowed),
  'read-grant': 403,
});

/** Everyone logged in may; anonymous may not. */
const ANY_LOGGED_IN = (s: number): Expect => ({
  anonymous: 401,
  admin: s,
  registrar: s,
  doctor: s,
  pharmacist: s,
  patient: s,
});
/** Public: anyone, logged in or not. */
const PUBLIC = (s: number): Expect => ({ ...ANY_LOGGED_IN(s), anonymous: s });
/** Only one staff role; every other role is refused outright. */
const ONLY = (role: 'admin' | 'registrar', s: number): Expect => ({
  anonymous: 401,
  admin: 403,
  registrar: 403,
  doctor: 403,
  pharmacist: 403,
  patient: 403,
  [role]: s,
});
/** The patient themself manages their sharing; another patient gets 404; staff 403. */
const OWNER_ONLY = (s: number): Expect => ({
  anonymous: 401,
  admin: 403,
  registrar: 403,
  doctor: 403,
  pharmacist: 403,
  patient: { own: s, other: 404 },
});

/** What one request needs: its concrete path, a valid body, and optionally another token. */
interface Prepared {
  path: string;
  body?: unknown;
  /** Use this token instead of the caller's (e.g. a throwaway session for logout). */
  token?: string;
  /** Send this multipart form instead of a JSON body (attachment uploads). */
  form?: FormData;
  /** The answer may be binary (a download): parse it only when it is JSON. */
  binary?: boolean;
}
interface Row {
  expect: Expect;
  prepare(caller: Caller, world: World): Promise<Prepared>;
  /** Runs after every other row (it changes relationships, e.g. break-glass). */
  last?: boolean;
}

interface World {
  server: TestServer;
  actors: Partial<Record<Caller, Actor>>;
  tokens: Partial<Record<Caller, string>>;
  admin: Actor;
  registrar: Actor;
  /** The patient in every path; Q is the other patient. */
  p: string;
  q: string;
  /** Patients whose credentials the public auth routes use (their PINs change). */
  loginSsn: string;
  recovery: { ssn: string; code: string; pin: string };
  reset: { id: string; ssn: string };
  probe: { username: string; privateKeyPem: string };
  keyHolder: string;
}

const STAFF_PASSWORD = 'violet-harbour-lantern-42';
/** A pending token no login issued. */
const NO_PENDING = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const b64u = (text: string): string => Buffer.from(text).toString('base64url');
/** Shaped like a browser's WebAuthn answers, made by no authenticator (they never verify). */
const FAKE_REGISTRATION = {
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: b64u('{"type":"webauthn.create"}'), attestationObject: 'AAAA' },
  clientExtensionResults: {},
};
const FAKE_ASSERTION = {
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: b64u('{"type":"webauthn.get"}'), authenticatorData: 'AAAA', signature: 'AAAA' },
  clientExtensionResults: {},
};
const REASON = { reason: 'Unconscious in the emergency room, no history available' };
let serial = 0;
const unique = (): string => `${++serial}${randomBytes(3).toString('hex')}`;
const freshPin = (): string => String(100_000 + Math.floor(Math.random() * 900_000));
const freshPublicKey = (): string =>
  generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
const freshDoctor = async (w: World): Promise<string> =>
  (await insertStaff(w.server.app.store.db, 'doctor', `Dr Fresh ${unique()}`)).userId;
/** A fresh key registered straight in the store for `userId` (staff add keys only with a current one). */
const keyOf = async (w: World, userId: string): Promise<{ keyId: string; privateKeyPem: string }> => {
  const pair = generateSigningKeyPair('ed25519');
  const key = acceptPublicKey(pair.publicKeyPem);
  await insertStaffKey(w.server.app.store.db, { ...key, userId, now: Date.now() });
  return { keyId: key.keyId, privateKeyPem: pair.privateKeyPem };
};
/** A pending request to activate a new account, made by an admin who is not a caller. */
const requestByAnotherAdmin = async (w: World): Promise<string> => {
  const other = await insertStaff(w.server.app.store.db, 'admin', 'Other Admin');
  const made = await w.server.app.identity.staffAccounts.create(scopeOf(other), {
    role: 'pharmacist',
    username: `ap.${unique()}`,
    displayName: 'Pending Pharmacist',
  });
  return made.approvalId;
};
const ownerOf = (w: World): Actor => ({ userId: w.p, role: 'patient' });
const recordsOfP = new WeakMap<World, Promise<string>>();
/** One diagnosis of P, written once per world by the care-team doctor. */
const recordOfP = (w: World): Promise<string> => {
  let id = recordsOfP.get(w);
  if (id === undefined) {
    id = w.server.app.records.records
      .create(scopeOf(w.actors['doctor:care-team']!), w.p, {
        type: 'diagnosis',
        title: 'Pneumonia',
        body: { icd10: 'J18.9', text: 'Pneumonia, unspecified organism' },
      })
      .then((r) => r.id);
    recordsOfP.set(w, id);
  }
  return id;
};

const imagingOfP = new WeakMap<World, Promise<{ record: string; attachment: string }>>();
/** One imaging record of P (inserted directly) with one PNG attachment, once per world. */
const attachmentOfP = (w: World): Promise<{ record: string; attachment: string }> => {
  let made = imagingOfP.get(w);
  if (made === undefined) {
    made = (async () => {
      const { app } = w.server;
      const doctor = w.actors['doctor:care-team']!;
      const record = randomUUID();
      await app.store.db
        .insertInto('records')
        .values({
          id: record,
          patient_id: w.p,
          type: 'imaging',
          author_id: doctor.userId,
          created_at: Date.now(),
          title_ct: randomBytes(32),
          body_ct: randomBytes(64),
        })
        .execute();
      const content = Readable.from([Buffer.concat([PNG_SIGNATURE, randomBytes(500)])]);
      const view = await app.records.attachments.upload(scopeOf(doctor), record, async () => ({
        fileName: 'matrix.png',
        contentType: 'image/png',
        content,
      }));
      return { record, attachment: view.id };
    })();
    imagingOfP.set(w, made);
  }
  return made;
};
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const pngForm = (): FormData => {
  const form = new FormData();
  form.append(
    'file',
    new Blob([Buffer.concat([PNG_SIGNATURE, randomBytes(300)])], { type: 'image/png' }),
    'x.png',
  );
  return form;
};
/** Sends a multipart form, or reads a binary answer (jsonCaller only speaks JSON); its shape. */
async function sendRaw(
  method: string,
  url: string,
  token: string | undefined,
  form: FormData | undefined,
): Promise<{ status: number; body: JsonAnswer | undefined; headers: Headers }> {
  const res = await fetch(url, {
    method,
    ...(form === undefined ? {} : { body: form }),
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json');
  const text = json ? await res.text() : (await res.arrayBuffer(), '');
  return { status: res.status, body: text.length > 0 ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Private keys of the doctors the prescription rows sign with (registered on first use). */
const signingKeys = new Map<string, string>();
/** A prescription for `patientId` signed by `doctorId` with their own (new) Ed25519 key. */
const signedRx = async (w: World, doctorId: string, patientId: string): Promise<SignedRequest> => {
  let pem = signingKeys.get(doctorId);
  if (pem === undefined) {
    const pair = generateKeyPairSync('ed25519');
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await insertStaffKey(w.server.app.store.db, {
      ...acceptPublicKey(publicPem),
      userId: doctorId,
      now: Date.now(),
    });
    pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    signingKeys.set(doctorId, pem);
  }
  return signPrescriptionDraft(pem, {
    patientId,
    medicine: { id: 'ibuprofen-400mg-tablet', name: 'Ibuprofen', strength: '400 mg', form: 'tablet' },
    dose: '1 tablet',
    route: 'oral',
    frequency: 'every 8 hours',
    quantity: 30,
    refills: 0,
    instructions: '',
    prescriberId: doctorId,
    override: { reason: 'Repeat prescription in a test', warnings: [] },
  });
};
/** A fresh prescription for P, signed by a fresh doctor on P's care team (not one of the callers). */
const prescriptionOfP = async (w: World): Promise<string> => {
  const doctor: Actor = { userId: await freshDoctor(w), role: 'doctor' };
  await w.server.app.sharing.careTeams.assign(scopeOf(w.registrar), w.p, doctor.userId);
  return (
    await w.server.app.prescriptions.prescriptions.sign(
      scopeOf(doctor),
      await signedRx(w, doctor.userId, w.p),
    )
  ).id;
};
/** Who reads one prescription of P: pharmacists, P, doctors reaching P; admins and registrars 403. */
const READS_RX: Expect = {
  ...ONLY('admin', 403),
  doctor: REACHES(200),
  pharmacist: 200,
  patient: { own: 200, other: 404 },
};

const TABLE: Record<string, Row> = {
  'GET /healthz': { expect: PUBLIC(200), prepare: async () => ({ path: '/healthz' }) },
  'GET /readyz': { expect: PUBLIC(200), prepare: async () => ({ path: '/readyz' }) },
  // Only the scraper's metrics token opens it (none here): everyone else, logged in or not, 404.
  'GET /metrics': { expect: PUBLIC(404), prepare: async () => ({ path: '/metrics' }) },
  // An open server is not sealed: anyone asking gets the same 409 (sealed servers: test/custody).
  'POST /api/v1/system/unseal': {
    expect: PUBLIC(409),
    prepare: async () => ({
      path: '/api/v1/system/unseal',
      body: { share: `mvshare1-0123456789abcdef-1-${Buffer.alloc(33, 1).toString('base64url')}` },
    }),
  },

  // --- auth: public login routes (valid credentials: 200 whoever asks) ---
  'POST /api/v1/auth/staff/challenge': {
    expect: PUBLIC(200),
    prepare: async (_c, w) => ({
      path: '/api/v1/auth/staff/challenge',
      body: { username: w.probe.username },
    }),
  },
  'POST /api/v1/auth/staff/login': {
    expect: PUBLIC(200),
    prepare: async (_c, w) => {
      const ch = await jsonCaller(w.server.url)('POST', '/api/v1/auth/staff/challenge', {
        body: { username: w.probe.username },
      });
      const signature = sign('ed25519', w.probe.privateKeyPem, ch.body.challenge);
      return {
        path: '/api/v1/auth/staff/login',
        body: {
          username: w.probe.username,
          password: STAFF_PASSWORD,
          challengeId: ch.body.challengeId,
          signature,
        },
      };
    },
  },
  'POST /api/v1/auth/patient/login': {
    expect: PUBLIC(200),
    prepare: async (_c, w) => ({
      path: '/api/v1/auth/patient/login',
      body: { ssn: w.loginSsn, pin: '482915', password: PATIENT_PASSWORD },
    }),
  },
  // Activation: anyone holding a fresh patient's SSN and enrolment code (the patient).
  'POST /api/v1/auth/patient/enrol': {
    expect: PUBLIC(200),
    prepare: async (_c, w) => {
      const input = registration();
      const { enrolmentCode } = await w.server.app.identity.patients.register(
        scopeOf(w.registrar),
        identityOf(input),
      );
      return {
        path: '/api/v1/auth/patient/enrol',
        body: { ssn: input.ssn, enrolmentCode, pin: input.pin, password: input.password },
      };
    },
  },
  'POST /api/v1/auth/pin-recovery': {
    expect: PUBLIC(200),
    prepare: async (_c, w) => {
      w.recovery.pin = freshPin();
      return {
        path: '/api/v1/auth/pin-recovery',
        body: {
          ssn: w.recovery.ssn,
          password: PATIENT_PASSWORD,
          dateOfBirth: '1984-07-19',
          recoveryCode: w.recovery.code,
          newPin: w.recovery.pin,
        },
      };
    },
  },
  'POST /api/v1/auth/pin-reset': {
    expect: PUBLIC(204),
    prepare: async (_c, w) => {
      const { resetToken } = await w.server.app.identity.pinRecovery.issueReset(
        scopeOf(w.registrar),
        w.reset.id,
      );
      return {
        path: '/api/v1/auth/pin-reset',
        body: { ssn: w.reset.ssn, password: PATIENT_PASSWORD, resetToken, newPin: freshPin() },
      };
    },
  },
  // Logout needs no session (it is idempotent); a logged-in caller ends a throwaway session.
  'POST /api/v1/auth/logout': {
    expect: PUBLIC(204),
    prepare: async (c, w) => {
      const actor = w.actors[c];
      return {
        path: '/api/v1/auth/logout',
        ...(actor === undefined ? {} : { token: await tokenFor(w.server.app, actor) }),
      };
    },
  },
  'GET /api/v1/auth/me': { expect: ANY_LOGGED_IN(200), prepare: async () => ({ path: '/api/v1/auth/me' }) },

  // --- second factors (issue 14): every signed-in user manages their own; nobody another's ---
  'GET /api/v1/auth/factors': {
    expect: ANY_LOGGED_IN(200),
    prepare: async () => ({ path: '/api/v1/auth/factors' }),
  },
  'POST /api/v1/auth/factors/totp': {
    expect: { ...ANY_LOGGED_IN(201) },
    prepare: async () => ({ path: '/api/v1/auth/factors/totp', body: {} }),
  },
  'POST /api/v1/auth/factors/totp/{id}/confirm': {
    expect: ANY_LOGGED_IN(200),
    prepare: async (c, w) => {
      const actor = w.actors[c];
      if (actor === undefined)
        return { path: '/api/v1/auth/factors/totp/x/confirm', body: { code: '123456' } };
      const setup = await w.server.app.identity.secondFactors.beginTotp(scopeOf(actor));
      return {
        path: `/api/v1/auth/factors/totp/${setup.factorId}/confirm`,
        body: { code: oathtool(setup.secret) },
      };
    },
  },
  'POST /api/v1/auth/factors/passkey/options': {
    expect: ANY_LOGGED_IN(200),
    prepare: async () => ({ path: '/api/v1/auth/factors/passkey/options' }),
  },
  // A well-formed registration no authenticator made: refused as not verifying (400) once the
  // caller may register at all (anonymous: 401). Real registrations: test/browser/passkeys.test.ts.
  'POST /api/v1/auth/factors/passkey': {
    expect: ANY_LOGGED_IN(400),
    prepare: async () => ({ path: '/api/v1/auth/factors/passkey', body: { response: FAKE_REGISTRATION } }),
  },
  'DELETE /api/v1/auth/factors/{id}': {
    expect: ANY_LOGGED_IN(204),
    prepare: async (c, w) => {
      const actor = w.actors[c];
      if (actor === undefined) return { path: '/api/v1/auth/factors/x' };
      const setup = await w.server.app.identity.secondFactors.beginTotp(scopeOf(actor));
      await w.server.app.identity.secondFactors.confirmTotp(
        scopeOf(actor),
        setup.factorId,
        oathtool(setup.secret),
      );
      return { path: `/api/v1/auth/factors/${setup.factorId}` };
    },
  },
  // The second step takes the login's pending token, never a session: with none, 401 whoever asks.
  'POST /api/v1/auth/second-factor/totp': {
    expect: PUBLIC(401),
    prepare: async () => ({
      path: '/api/v1/auth/second-factor/totp',
      body: { pendingToken: NO_PENDING, code: '123456' },
    }),
  },
  'POST /api/v1/auth/second-factor/passkey/options': {
    expect: PUBLIC(401),
    prepare: async () => ({
      path: '/api/v1/auth/second-factor/passkey/options',
      body: { pendingToken: NO_PENDING },
    }),
  },
  'POST /api/v1/auth/second-factor/passkey': {
    expect: PUBLIC(401),
    prepare: async () => ({
      path: '/api/v1/auth/second-factor/passkey',
      body: { pendingToken: NO_PENDING, response: FAKE_ASSERTION },
    }),
  },
  'POST /api/v1/auth/second-factor/enrol/totp': {
    expect: PUBLIC(401),
    prepare: async () => ({
      path: '/api/v1/auth/second-factor/enrol/totp',
      body: { pendingToken: NO_PENDING },
    }),
  },
  'POST /api/v1/auth/second-factor/enrol/totp/confirm': {
    expect: PUBLIC(401),
    prepare: async () => ({
      path: '/api/v1/auth/second-factor/enrol/totp/confirm',
      body: { pendingToken: NO_PENDING, factorId: 'f', code: '123456' },
    }),
  },
  'POST /api/v1/auth/second-factor/enrol/passkey/options': {
    expect: PUBLIC(401),
    prepare: async () => ({
      path: '/api/v1/auth/second-factor/enrol/passkey/options',
      body: { pendingToken: NO_PENDING },
    }),
  },
  'POST /api/v1/auth/second-factor/enrol/passkey': {
    expect: PUBLIC(401),
    prepare: async () => ({
      path: '/api/v1/auth/second-factor/enrol/passkey',
      body: { pendingToken: NO_PENDING, response: FAKE_REGISTRATION },
    }),
  },
  // --- a patient's own account: every patient for themself (the path names nobody), staff 403 ---
  // The "changes" keep the same secrets, so every row and caller can prove them again.
  'POST /api/v1/account/password': {
    expect: { ...ONLY('admin', 403), patient: 204 },
    prepare: async () => ({
      path: '/api/v1/account/password',
      body: { currentPassword: PATIENT_PASSWORD, pin: '482915', newPassword: PATIENT_PASSWORD },
    }),
  },
  'POST /api/v1/account/pin': {
    expect: { ...ONLY('admin', 403), patient: 204 },
    prepare: async () => ({
      path: '/api/v1/account/pin',
      body: { currentPin: '482915', password: PATIENT_PASSWORD, newPin: '482915' },
    }),
  },
  'POST /api/v1/account/recovery-code': {
    expect: { ...ONLY('admin', 403), patient: 200 },
    prepare: async () => ({
      path: '/api/v1/account/recovery-code',
      body: { pin: '482915', password: PATIENT_PASSWORD },
    }),
  },
  'GET /api/v1/account/sessions': {
    expect: { ...ONLY('admin', 403), patient: 200 },
    prepare: async () => ({ path: '/api/v1/account/sessions' }),
  },
  'POST /api/v1/account/sessions/end-others': {
    expect: { ...ONLY('admin', 403), patient: 200 },
    prepare: async () => ({ path: '/api/v1/account/sessions/end-others' }),
  },

  // --- staff administration: admins only ---
  'POST /api/v1/admin/users': {
    expect: ONLY('admin', 201),
    prepare: async () => {
      const username = `mx.${unique()}`;
      return {
        path: '/api/v1/admin/users',
        body: { role: 'doctor', username, displayName: `Dr ${username}` },
      };
    },
  },
  'GET /api/v1/admin/users': {
    expect: ONLY('admin', 200),
    prepare: async () => ({ path: '/api/v1/admin/users' }),
  },
  'POST /api/v1/admin/users/{id}/disable': {
    expect: ONLY('admin', 200),
    prepare: async (_c, w) => {
      const victim = await insertStaff(w.server.app.store.db, 'pharmacist');
      return { path: `/api/v1/admin/users/${victim.userId}/disable` };
    },
  },
  'POST /api/v1/admin/users/{id}/reenrol': {
    expect: ONLY('admin', 201),
    prepare: async (_c, w) => {
      const member = await insertStaff(w.server.app.store.db, 'doctor');
      return { path: `/api/v1/admin/users/${member.userId}/reenrol` };
    },
  },
  'DELETE /api/v1/admin/users/{id}/keys/{keyId}': {
    expect: ONLY('admin', 204),
    prepare: async (_c, w) => {
      const keyId = await keyOf(w, w.keyHolder);
      return { path: `/api/v1/admin/users/${w.keyHolder}/keys/${keyId.keyId}` };
    },
  },

  // --- the two-person rule: admins decide what ANOTHER admin asked, registrars what another
  // registrar asked (patient re-enrolment; an admin's request is approval_wrong_role); others 403 ---
  'GET /api/v1/approvals': {
    expect: { ...ONLY('admin', 200), registrar: 200 },
    prepare: async () => ({ path: '/api/v1/approvals' }),
  },
  'POST /api/v1/approvals/{id}/approve': {
    expect: ONLY('admin', 200),
    prepare: async (_c, w) => ({ path: `/api/v1/approvals/${await requestByAnotherAdmin(w)}/approve` }),
  },
  'POST /api/v1/approvals/{id}/refuse': {
    expect: ONLY('admin', 200),
    prepare: async (_c, w) => ({ path: `/api/v1/approvals/${await requestByAnotherAdmin(w)}/refuse` }),
  },
  'POST /api/v1/approvals/mfa-policy': {
    expect: ONLY('admin', 201),
    prepare: async () => ({
      path: '/api/v1/approvals/mfa-policy',
      body: { role: 'pharmacist', policy: 'required' },
    }),
  },
  'GET /api/v1/admin/second-factor-policy': {
    expect: ONLY('admin', 200),
    prepare: async () => ({ path: '/api/v1/admin/second-factor-policy' }),
  },
  // --- what a re-enrolled person is told: everyone reads and dismisses their own notices ---
  'GET /api/v1/me/notices': {
    expect: ANY_LOGGED_IN(200),
    prepare: async () => ({ path: '/api/v1/me/notices' }),
  },
  'POST /api/v1/me/notices/{id}/dismiss': {
    expect: ANY_LOGGED_IN(204),
    prepare: async (c, w) => {
      const actor = w.actors[c];
      if (actor === undefined) return { path: `/api/v1/me/notices/${randomUUID()}/dismiss` };
      const id = randomUUID();
      await insertNotice(w.server.app.store.db, {
        id,
        userId: actor.userId,
        kind: 'reenrolled',
        occurredAt: Date.now(),
        requestedBy: w.registrar.userId,
        approvedBy: w.admin.userId,
      });
      return { path: `/api/v1/me/notices/${id}/dismiss` };
    },
  },
  'POST /api/v1/approvals/budget-raise': {
    expect: ONLY('admin', 201),
    prepare: async () => ({ path: '/api/v1/approvals/budget-raise', body: { epsilon: 0.5 } }),
  },

  // --- staff enrolment (public, with a fresh invite) and one's own keys (staff) ---
  'POST /api/v1/auth/staff/enrol': {
    expect: PUBLIC(201),
    prepare: async (_c, w) => {
      const made = await w.server.app.identity.staffAccounts.create(scopeOf(w.admin), {
        role: 'doctor',
        username: `en.${unique()}`,
        displayName: 'Dr Enrolling',
      });
      return {
        path: '/api/v1/auth/staff/enrol',
        body: { inviteCode: made.invite.code, password: STAFF_PASSWORD, publicKeyPem: freshPublicKey() },
      };
    },
  },
  'POST /api/v1/me/keys': {
    expect: { anonymous: 401, admin: 201, registrar: 201, doctor: 201, pharmacist: 201, patient: 403 },
    prepare: async (c, w) => {
      const actor = w.actors[c];
      const newPem = freshPublicKey();
      if (actor === undefined || actor.role === 'patient')
        return { path: '/api/v1/me/keys', body: { publicKeyPem: newPem, signedBy: 'x', signature: 'AA==' } };
      const current = await keyOf(w, actor.userId);
      const username = (await findUserById(w.server.app.store.db, actor.userId))!.username!;
      return { path: '/api/v1/me/keys', body: ownKeyBody(username, newPem, current) };
    },
  },

  // --- audit ledger ---
  'GET /api/v1/audit/public-key': {
    expect: PUBLIC(200),
    prepare: async () => ({ path: '/api/v1/audit/public-key' }),
  },
  'GET /api/v1/audit/checkpoint': {
    expect: ANY_LOGGED_IN(200),
    prepare: async () => ({ path: '/api/v1/audit/checkpoint' }),
  },
  'GET /api/v1/audit/entries': {
    expect: ONLY('admin', 200),
    prepare: async () => ({ path: '/api/v1/audit/entries?limit=5' }),
  },
  'GET /api/v1/audit/entries.csv': {
    expect: ONLY('admin', 200),
    prepare: async (_c, w) => ({ path: `/api/v1/audit/entries.csv?patientId=${w.p}`, binary: true }),
  },
  // An entry about P: the admin sees any, P their own, Q gets 404, other roles 403.
  'GET /api/v1/audit/proofs/inclusion': {
    expect: { ...ONLY('admin', 200), patient: { own: 200, other: 404 } },
    prepare: async (_c, w) => {
      const { db } = w.server.app.store;
      const about = await w.server.app.audit.ledger.entries(db, { patientId: w.p }, { limit: 1 });
      const size = await w.server.app.audit.ledger.size(db);
      return { path: `/api/v1/audit/proofs/inclusion?index=${about.entries[0]!.seq}&treeSize=${size}` };
    },
  },
  'GET /api/v1/audit/proofs/consistency': {
    expect: ANY_LOGGED_IN(200),
    prepare: async (_c, w) => ({
      path: `/api/v1/audit/proofs/consistency?from=1&to=${await w.server.app.audit.ledger.size(w.server.app.store.db)}`,
    }),
  },
  'POST /api/v1/audit/verify': {
    expect: ONLY('admin', 200),
    prepare: async () => ({ path: '/api/v1/audit/verify' }),
  },

  // --- patients ---
  'POST /api/v1/patients': {
    expect: ONLY('registrar', 201),
    prepare: async () => ({ path: '/api/v1/patients', body: identityOf(registration()) }),
  },
  // Registrars list everyone; doctors and patients whom they reach (possibly nobody): 200.
  'GET /api/v1/patients': {
    expect: { ...ONLY('registrar', 200), doctor: 200, patient: 200 },
    prepare: async () => ({ path: '/api/v1/patients' }),
  },
  'GET /api/v1/patients/{id}': {
    expect: { ...ONLY('registrar', 200), doctor: REACHES(200), patient: { own: 200, other: 404 } },
    prepare: async (_c, w) => ({ path: `/api/v1/patients/${w.p}` }),
  },
  // Registrars and doctors search within their reach (a doctor reaching nobody gets an empty 200).
  'POST /api/v1/patients/search': {
    expect: { ...ONLY('registrar', 200), doctor: 200 },
    prepare: async () => ({ path: '/api/v1/patients/search', body: { name: 'matrix' } }),
  },
  // Any doctor may look a patient up before breaking the glass (identity only, ledgered).
  'POST /api/v1/break-glass/lookup': {
    expect: { ...ONLY('admin', 403), doctor: 200 },
    prepare: async (_c, w) => {
      const row = await w.server.app.store.db
        .selectFrom('patients')
        .select('mrn')
        .where('id', '=', w.p)
        .executeTakeFirstOrThrow();
      return { path: '/api/v1/break-glass/lookup', body: { mrn: row.mrn } };
    },
  },
  'POST /api/v1/patients/{id}/pin-reset': {
    expect: ONLY('registrar', 200),
    prepare: async (_c, w) => ({ path: `/api/v1/patients/${w.p}/pin-reset` }),
  },
  // A new code only for a patient who has not enrolled: a fresh registration for each caller.
  'POST /api/v1/patients/{id}/enrolment-code': {
    expect: ONLY('registrar', 200),
    prepare: async (_c, w) => {
      const { patientId } = await w.server.app.identity.patients.register(
        scopeOf(w.registrar),
        identityOf(registration()),
      );
      return { path: `/api/v1/patients/${patientId}/enrolment-code` };
    },
  },
  // Re-enrolment: a registrar asks (a fresh enrolled patient for each caller); its page reads the state.
  'POST /api/v1/patients/{id}/reenrol': {
    expect: ONLY('registrar', 201),
    prepare: async (_c, w) => {
      const { patientId } = await registerEnrolled(w.server.app, scopeOf(w.registrar));
      return { path: `/api/v1/patients/${patientId}/reenrol` };
    },
  },
  'GET /api/v1/patients/{id}/reenrol': {
    expect: ONLY('registrar', 200),
    prepare: async (_c, w) => ({ path: `/api/v1/patients/${w.p}/reenrol` }),
  },
  'POST /api/v1/patients/{id}/care-team': {
    expect: ONLY('registrar', 201),
    prepare: async (_c, w) => ({
      path: `/api/v1/patients/${w.p}/care-team`,
      body: { doctorId: await freshDoctor(w) },
    }),
  },
  'DELETE /api/v1/patients/{id}/care-team/{doctorId}': {
    expect: ONLY('registrar', 204),
    prepare: async (_c, w) => {
      const doctorId = await freshDoctor(w);
      await w.server.app.sharing.careTeams.assign(scopeOf(w.registrar), w.p, doctorId);
      return { path: `/api/v1/patients/${w.p}/care-team/${doctorId}` };
    },
  },

  // --- sharing ---
  'POST /api/v1/patients/{id}/grants': {
    expect: OWNER_ONLY(201),
    prepare: async (_c, w) => ({
      path: `/api/v1/patients/${w.p}/grants`,
      body: {
        doctorId: await freshDoctor(w),
        recordTypes: ['lab_result'],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
  },
  'GET /api/v1/patients/{id}/grants': {
    expect: OWNER_ONLY(200),
    prepare: async (_c, w) => ({ path: `/api/v1/patients/${w.p}/grants` }),
  },
  'DELETE /api/v1/patients/{id}/grants/{grantId}': {
    expect: OWNER_ONLY(204),
    prepare: async (_c, w) => {
      const grant = await w.server.app.sharing.grants.create(scopeOf(ownerOf(w)), w.p, {
        doctorId: await freshDoctor(w),
      });
      return { path: `/api/v1/patients/${w.p}/grants/${grant.id}` };
    },
  },
  'GET /api/v1/doctors': { expect: ANY_LOGGED_IN(200), prepare: async () => ({ path: '/api/v1/doctors' }) },
  // --- statistics: admins only (each admin query spends 0.01 of the default budget of 5) ---
  'POST /api/v1/analytics/query': {
    expect: ONLY('admin', 200),
    prepare: async () => ({
      path: '/api/v1/analytics/query',
      body: { metric: 'heartRate', aggregate: 'count', cohort: { kind: 'all' }, epsilon: 0.01 },
    }),
  },
  'GET /api/v1/analytics/budget': {
    expect: ONLY('admin', 200),
    prepare: async () => ({ path: '/api/v1/analytics/budget' }),
  },
  // --- records ---
  'POST /api/v1/patients/{id}/records': {
    expect: { ...ONLY('admin', 403), doctor: REACHES_TO_WRITE(201) },
    prepare: async (_c, w) => ({
      path: `/api/v1/patients/${w.p}/records`,
      body: { type: 'clinical_note', title: 'Matrix note', body: { text: 'Seen in clinic.' } },
    }),
  },
  'GET /api/v1/patients/{id}/records': {
    expect: { ...ONLY('admin', 403), doctor: REACHES(200), patient: { own: 200, other: 404 } },
    prepare: async (_c, w) => ({ path: `/api/v1/patients/${w.p}/records` }),
  },
  'GET /api/v1/records/recent': {
    expect: { ...ONLY('admin', 403), doctor: 200 },
    prepare: async () => ({ path: '/api/v1/records/recent' }),
  },
  'GET /api/v1/records/{id}': {
    expect: { ...ONLY('admin', 403), doctor: REACHES(200), patient: { own: 200, other: 404 } },
    prepare: async (_c, w) => ({ path: `/api/v1/records/${await recordOfP(w)}` }),
  },
  'GET /api/v1/search': {
    expect: { ...ONLY('admin', 403), doctor: 200 },
    prepare: async () => ({ path: '/api/v1/search?keyword=pneumonia' }),
  },
  // --- attachments (of an imaging record of P): doctors who reach P upload; readers read ---
  'POST /api/v1/records/{id}/attachments': {
    expect: { ...ONLY('admin', 403), doctor: REACHES_TO_WRITE(201) },
    prepare: async (_c, w) => ({
      path: `/api/v1/records/${(await attachmentOfP(w)).record}/attachments`,
      form: pngForm(),
    }),
  },
  'GET /api/v1/records/{id}/attachments': {
    expect: { ...ONLY('admin', 403), doctor: REACHES(200), patient: { own: 200, other: 404 } },
    prepare: async (_c, w) => ({ path: `/api/v1/records/${(await attachmentOfP(w)).record}/attachments` }),
  },
  'GET /api/v1/records/{id}/attachments/{attachmentId}': {
    expect: { ...ONLY('admin', 403), doctor: REACHES(200), patient: { own: 200, other: 404 } },
    prepare: async (_c, w) => {
      const { record, attachment } = await attachmentOfP(w);
      return { path: `/api/v1/records/${record}/attachments/${attachment}`, binary: true };
    },
  },
  'GET /api/v1/patients/{id}/access-log': {
    expect: { ...ONLY('admin', 200), patient: { own: 200, other: 404 } },
    prepare: async (_c, w) => ({ path: `/api/v1/patients/${w.p}/access-log` }),
  },

  // --- prescriptions ---
  'GET /api/v1/medicines': {
    expect: { ...ONLY('admin', 403), doctor: 200, pharmacist: 200 },
    prepare: async () => ({ path: '/api/v1/medicines?q=ibu' }),
  },
  // A doctor signs with their own key, for P; callers other than doctors send a valid one too.
  'POST /api/v1/prescriptions': {
    expect: { ...ONLY('admin', 403), doctor: REACHES_TO_WRITE(201) },
    prepare: async (c, w) => {
      const doctorId = c.startsWith('doctor:') ? w.actors[c]!.userId : w.actors['doctor:care-team']!.userId;
      return { path: '/api/v1/prescriptions', body: await signedRx(w, doctorId, w.p) };
    },
  },
  'GET /api/v1/prescriptions': {
    expect: { ...ONLY('admin', 403), pharmacist: 200 },
    prepare: async () => ({ path: '/api/v1/prescriptions?status=pending' }),
  },
  'GET /api/v1/prescriptions/{id}': {
    expect: READS_RX,
    prepare: async (_c, w) => ({ path: `/api/v1/prescriptions/${await prescriptionOfP(w)}` }),
  },
  'GET /api/v1/prescriptions/{id}/evidence': {
    expect: READS_RX,
    prepare: async (_c, w) => ({ path: `/api/v1/prescriptions/${await prescriptionOfP(w)}/evidence` }),
  },
  'POST /api/v1/prescriptions/{id}/dispense': {
    expect: { ...ONLY('admin', 403), pharmacist: 200 },
    prepare: async (_c, w) => ({ path: `/api/v1/prescriptions/${await prescriptionOfP(w)}/dispense` }),
  },
  // Doctors who may prescribe for P (a read grant may not: 403 read_only_access).
  'GET /api/v1/patients/{id}/prescribing-checks': {
    expect: { ...ONLY('admin', 403), doctor: REACHES_TO_WRITE(200) },
    prepare: async (_c, w) => ({
      path: `/api/v1/patients/${w.p}/prescribing-checks?medicineId=ibuprofen-400mg-tablet`,
    }),
  },
  'GET /api/v1/patients/{id}/prescriptions': {
    expect: { ...ONLY('admin', 403), doctor: REACHES(200), patient: { own: 200, other: 404 } },
    prepare: async (_c, w) => ({ path: `/api/v1/patients/${w.p}/prescriptions` }),
  },

  // Any doctor may break the glass for an existing patient (it opens access): run last.
  'POST /api/v1/patients/{id}/break-glass': {
    expect: { ...ONLY('admin', 403), doctor: 201 },
    prepare: async (_c, w) => ({ path: `/api/v1/patients/${w.p}/break-glass`, body: REASON }),
    last: true,
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The value as an object (not a list). @throws TypeError unless it is one. */
function object(value: JsonAnswer | undefined): JsonAnswer {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`expected an object in the answer, got ${JSON.stringify(value)}`);
  return value;
}

/** "METHOD /path" for every operation of the document under /api/v1, plus the health probes. */
function documentedRoutes(doc: JsonAnswer): string[] {
  const routes: string[] = [];
  for (const [path, item] of Object.entries(object(doc.paths))) {
    if (!path.startsWith('/api/v1/') && !['/healthz', '/readyz', '/metrics'].includes(path)) continue;
    for (const m of METHODS) if (object(item)[m] !== undefined) routes.push(`${m.toUpperCase()} ${path}`);
  }
  return routes.sort();
}

describe.each(DIALECTS)('authorization matrix on %s', (dialect) => {
  let pgSchema: TestStore | undefined;
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  const world = {} as World;

  beforeAll(async () => {
    if (dialect === 'postgres') pgSchema = await createTestStore('postgres', { migrate: false });
    // Every caller calls the unseal route once from one address: above its default of 10 a minute.
    server = await startTestServer({
      ...(pgSchema?.databaseUrl ? { databaseUrl: pgSchema.databaseUrl } : {}),
      settings: { MEDVAULT_UNSEAL_RATE_LIMIT: '100' },
    });
    call = jsonCaller(server.url);
    const { app } = server;
    const db = app.store.db;
    const must = async (
      status: number,
      method: string,
      path: string,
      token: string,
      body?: unknown,
    ): Promise<JsonAnswer> => {
      const res = await call(method, path, { token, ...(body === undefined ? {} : { body }) });
      if (res.status !== status)
        throw new Error(`setup: ${method} ${path} answered ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };

    const admin = await insertStaff(db, 'admin');
    const registrar = await insertStaff(db, 'registrar');
    const pharmacist = await insertStaff(db, 'pharmacist');
    const doctors = {} as Record<DoctorCaller, Actor>;
    for (const c of CALLERS)
      if (c.startsWith('doctor:')) doctors[c as DoctorCaller] = await insertStaff(db, 'doctor', `Dr ${c}`);
    const registrarToken = await tokenFor(app, registrar);

    // Patients, registered through the registrar API.
    const register = async (): Promise<{ id: string; ssn: string; code: string }> => {
      const input = registration();
      const body = await must(201, 'POST', '/api/v1/patients', registrarToken, identityOf(input));
      // The patient activates with the slip's code, choosing PIN 482915 and PATIENT_PASSWORD.
      const enrolled = await must(200, 'POST', '/api/v1/auth/patient/enrol', '', {
        ssn: input.ssn,
        enrolmentCode: text(body.enrolmentCode),
        pin: input.pin,
        password: input.password,
      });
      return { id: text(body.patientId), ssn: input.ssn, code: text(enrolled.recoveryCode) };
    };
    const p = await register();
    const q = await register();
    const login = await register();
    const recovery = await register();
    const reset = await register();
    const patientP: Actor = { userId: p.id, role: 'patient' };
    const pToken = await tokenFor(app, patientP);

    // The doctors' relationships to P.
    const base = `/api/v1/patients/${p.id}`;
    await must(201, 'POST', `${base}/care-team`, registrarToken, {
      doctorId: doctors['doctor:care-team'].userId,
    });
    await must(201, 'POST', `${base}/grants`, pToken, {
      doctorId: doctors['doctor:granted'].userId,
      scope: 'read_write',
    });
    await must(201, 'POST', `${base}/grants`, pToken, { doctorId: doctors['doctor:read-grant'].userId });
    const revoked = await must(201, 'POST', `${base}/grants`, pToken, {
      doctorId: doctors['doctor:revoked'].userId,
    });
    await must(204, 'DELETE', `${base}/grants/${text(revoked.grant?.id)}`, pToken);
    const expiring = await must(201, 'POST', `${base}/grants`, pToken, {
      doctorId: doctors['doctor:expired'].userId,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await db
      .updateTable('grants')
      .set({ expires_at: Date.now() - 60_000 })
      .where('id', '=', text(expiring.grant?.id))
      .execute();
    await must(
      201,
      'POST',
      `${base}/break-glass`,
      await tokenFor(app, doctors['doctor:break-glass']),
      REASON,
    );

    // Staff accounts the admin and login routes act on.
    const probe = await app.identity.staffAccounts.createAsOperator({
      role: 'doctor',
      username: 'matrix.probe',
      displayName: 'Matrix Probe',
      password: STAFF_PASSWORD,
      key: { generate: 'ed25519' },
    });
    const keyHolder = await insertStaff(db, 'pharmacist', 'Key Holder');

    const actors: Partial<Record<Caller, Actor>> = {
      admin,
      registrar,
      ...doctors,
      pharmacist,
      'patient:own': patientP,
      'patient:other': { userId: q.id, role: 'patient' },
    };
    const tokens: Partial<Record<Caller, string>> = {};
    for (const [c, actor] of Object.entries(actors)) tokens[c as Caller] = await tokenFor(app, actor);

    Object.assign(world, {
      server,
      actors,
      tokens,
      admin,
      registrar,
      p: p.id,
      q: q.id,
      loginSsn: login.ssn,
      recovery: { ssn: recovery.ssn, code: recovery.code, pin: '482915' },
      reset: { id: reset.id, ssn: reset.ssn },
      probe: { username: 'matrix.probe', privateKeyPem: probe.privateKeyPem! },
      keyHolder: keyHolder.userId,
    } satisfies World);
  });
  afterAll(async () => {
    await server?.close();
    await pgSchema?.dispose();
  });

  it('has a row for every route in the OpenAPI document, and no row without a route', async () => {
    const doc = await call('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    const documented = documentedRoutes(doc.body);
    const tabled = Object.keys(TABLE).sort();
    expect({
      missingFromTable: documented.filter((r) => !(r in TABLE)),
      notInDocument: tabled.filter((r) => !documented.includes(r)),
    }).toEqual({ missingFromTable: [], notInDocument: [] });
  });

  it('answers every route × caller with the expected status', async () => {
    const mismatches: string[] = [];
    // Issue 15, finding 6: every answer of a route that shows patient identity leaves a ledger
    // entry about each patient it shows, by the caller.
    const unledgered: string[] = [];
    const { db } = world.server.app.store;
    const ledger = world.server.app.audit.ledger;
    // Every real answer, whatever its status, held to the contract (route table, error catalogue).
    const offContract: string[] = [];
    const rows = Object.entries(TABLE);
    const ordered = [...rows.filter(([, r]) => r.last !== true), ...rows.filter(([, r]) => r.last === true)];
    for (const [route, row] of ordered) {
      const [method, template] = route.split(' ') as [string, string];
      const expected = expand(row.expect);
      for (const caller of CALLERS) {
        const prepared = await row.prepare(caller, world);
        const token = prepared.token ?? world.tokens[caller];
        const name = routeNamed(method, template);
        const showsIdentity =
          name !== undefined &&
          (API_ROUTES[name] as { showsPatientIdentity?: true }).showsPatientIdentity === true;
        const sizeBefore = showsIdentity ? await ledger.size(db) : 0;
        const res =
          prepared.form !== undefined || prepared.binary === true
            ? await sendRaw(method, world.server.url + prepared.path, token, prepared.form)
            : await call(method, prepared.path, {
                ...(token === undefined ? {} : { token }),
                ...(prepared.body === undefined ? {} : { body: prepared.body }),
              });
        offContract.push(...contractProblems(route, res).map((p) => `as ${caller}: ${p}`));
        if (route === 'POST /api/v1/auth/pin-recovery' && res.status === 200)
          world.recovery.code = text(res.body?.recoveryCode);
        if (showsIdentity && res.status === 200) {
          const actor = world.actors[caller];
          const fresh = (await ledger.entries(db, { actorId: actor?.userId }, { limit: 200 })).entries.filter(
            (e) => e.seq >= sizeBefore,
          );
          for (const patientId of patientsShown(res.body))
            if (!fresh.some((e) => e.patientId === patientId))
              unledgered.push(
                `${method} ${template} as ${caller}: showed patient ${patientId} without an entry`,
              );
        }
        if (res.status !== expected[caller]) {
          const code = res.body?.error?.code;
          mismatches.push(
            `${method} ${template} as ${caller}: expected ${expected[caller]} got ${res.status}${code ? ` (${code})` : ''}`,
          );
        }
      }
    }
    // The message is the list; the assertion itself stays a one-line count.
    expect(mismatches.length, `route × caller mismatches:\n${mismatches.join('\n')}\n`).toBe(0);
    expect(offContract, 'answers that do not fit the contract').toEqual([]);
    expect(unledgered, 'answers showing a patient with no ledger entry about them').toEqual([]);
  }, 300_000);
});

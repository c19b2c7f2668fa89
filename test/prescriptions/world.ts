import { scopeOf } from '../support/scopes.js';
/**
 * Fixtures for the prescription tests: a live server, a patient on a doctor's care team, a
 * second doctor, a pharmacist, registered signing keys (RSA-2048 and Ed25519), and helpers to
 * sign drafts the way `medvault rx sign` and the browser do.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../../src/contract/canonical-json.js';
import { prescriptionMessage } from '../../src/contract/signing/index.js';
import type { Actor } from '../../src/app/actor.js';
import type { AppContext } from '../../src/app/context.js';
import type { DialectName } from '../../src/store/database.js';
import type { RawSettings } from '../../src/config/config.js';
import type { TestClock } from '../support/clock.js';
import { signPrescriptionDraft, type SignedRequest } from '../../src/app/prescriptions/offline-signing.js';
import { MEDICINE_CATALOG } from '../../src/app/prescriptions/medicine-catalog.js';
import {
  keyIdOf,
  parsePublicKeyPem,
  signMessage,
  type SignatureAlgorithm,
} from '../../src/crypto/signature.js';
import { insertStaffKey } from '../../src/store/staff-key-repository.js';
import { text } from '../support/json-answer.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { jsonCaller, type Answer } from '../support/http.js';
import { insertStaff, registration, tokenFor } from '../support/people.js';

export interface Signer {
  readonly actor: Actor;
  readonly token: string;
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export interface RxWorld {
  readonly server: TestServer;
  readonly app: AppContext;
  readonly call: ReturnType<typeof jsonCaller>;
  /** On the patient's care team, RSA key. */
  readonly doctor: Signer;
  /** Same doctor, second key (Ed25519). */
  readonly doctorEd: Signer;
  /** Another doctor, also on the care team (for key substitution). */
  readonly other: Signer;
  readonly stranger: Signer;
  readonly pharmacist: { actor: Actor; token: string };
  readonly admin: { actor: Actor; token: string };
  readonly patient: { id: string; token: string };
  readonly patientB: { id: string; token: string };
  close(): Promise<void>;
}

export const AMOXICILLIN = MEDICINE_CATALOG.find((m) => m.id === 'amoxicillin-500mg-capsule')!;

/** Generates a key pair and registers its public half for `actor` (as an admin would). */
export async function addKey(app: AppContext, actor: Actor, algorithm: SignatureAlgorithm): Promise<Signer> {
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyId = keyIdOf(parsePublicKeyPem(publicKeyPem).spkiDer);
  await insertStaffKey(app.store.db, {
    keyId,
    userId: actor.userId,
    algorithm,
    publicKeyPem,
    now: Date.now(),
  });
  return { actor, token: await tokenFor(app, actor), keyId, algorithm, privateKeyPem, publicKeyPem };
}

export interface RxWorldOptions {
  readonly db?: DialectName;
  /** The server's clock (default: the wall clock). Tokens expire when it moves by hours. */
  readonly clock?: TestClock;
  /** Extra configuration settings, as environment variables. */
  readonly settings?: RawSettings;
}

export async function rxWorld(options: RxWorldOptions = {}): Promise<RxWorld> {
  const server = await startTestServer({
    db: options.db ?? 'sqlite',
    ...(options.clock ? { compose: { clock: options.clock.read } } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const { app } = server;
  const db = app.store.db;
  const registrar = await insertStaff(db, 'registrar');
  const register = async (): Promise<{ id: string; token: string }> => {
    const { patientId } = await app.identity.patients.register(scopeOf(registrar), registration());
    return { id: patientId, token: await tokenFor(app, { userId: patientId, role: 'patient' }) };
  };
  const patient = await register();
  const patientB = await register();
  const doctorActor = await insertStaff(db, 'doctor', 'Dr Ada Signer');
  const otherActor = await insertStaff(db, 'doctor', 'Dr Other');
  const strangerActor = await insertStaff(db, 'doctor', 'Dr Stranger');
  await app.sharing.careTeams.assign(scopeOf(registrar), patient.id, doctorActor.userId);
  await app.sharing.careTeams.assign(scopeOf(registrar), patient.id, otherActor.userId);
  const pharmacist = await insertStaff(db, 'pharmacist', 'Pharmacist Pat');
  const admin = await insertStaff(db, 'admin');
  return {
    server,
    app,
    call: jsonCaller(server.url),
    doctor: await addKey(app, doctorActor, 'rsa-pkcs1-sha256'),
    doctorEd: await addKey(app, doctorActor, 'ed25519'),
    other: await addKey(app, otherActor, 'ed25519'),
    stranger: await addKey(app, strangerActor, 'ed25519'),
    pharmacist: { actor: pharmacist, token: await tokenFor(app, pharmacist) },
    admin: { actor: admin, token: await tokenFor(app, admin) },
    patient,
    patientB,
    close: () => server.close(),
  };
}

/** The signed reason the fixtures give for prescribing the same medicine again. */
export const REPEAT_OVERRIDE = { reason: 'Repeat prescription in a test', warnings: [] };

/** A valid draft for `patientId` by `signer` (what the doctor fills in). */
export function draft(
  signer: Signer,
  patientId: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
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
    instructions: 'Take with water.\nFinish the course.',
    prescriberId: signer.actor.userId,
    // These tests prescribe the same medicine again and again: a signed reason covers the
    // duplicate warnings (prescribing-checks.test.ts tests the checks themselves).
    override: REPEAT_OVERRIDE,
    ...over,
  };
}

export function signed(signer: Signer, patientId: string, over: Record<string, unknown> = {}): SignedRequest {
  return signPrescriptionDraft(signer.privateKeyPem, draft(signer, patientId, over));
}

/**
 * Signs any JSON value as a payload WITHOUT the signer's validation (so the server's own checks
 * are what a test exercises): fills keyId, nonce and times like a real signer.
 */
export function signedRaw(signer: Signer, patientId: string, over: Record<string, unknown> = {}): unknown {
  const now = Date.now();
  const payload = {
    v: 1,
    keyId: signer.keyId,
    nonce: randomBytes(16).toString('base64url'),
    issuedAt: now,
    expiresAt: now + 86_400_000,
    ...draft(signer, patientId),
    ...over,
  };
  const signature = signMessage(
    signer.algorithm,
    signer.privateKeyPem,
    prescriptionMessage(canonicalJson(payload as JsonValue)),
  );
  return { payload, signature, keyId: signer.keyId };
}

/** Signs and submits; returns the answer. */
export async function submit(
  w: RxWorld,
  signer: Signer,
  over: Record<string, unknown> = {},
  patientId = w.patient.id,
): Promise<Answer> {
  return w.call('POST', '/api/v1/prescriptions', {
    token: signer.token,
    body: signed(signer, patientId, over),
  });
}

/** Signs, submits and expects 201; returns the prescription id. */
export async function prescribe(
  w: RxWorld,
  signer: Signer,
  over: Record<string, unknown> = {},
): Promise<string> {
  const res = await submit(w, signer, over);
  if (res.status !== 201) throw new Error(`prescribe: ${res.status} ${JSON.stringify(res.body)}`);
  return text(res.body.id);
}

export function dispense(w: RxWorld, id: string, token = w.pharmacist.token): Promise<Answer> {
  return w.call('POST', `/api/v1/prescriptions/${id}/dispense`, { token });
}

/** Ledger entries of `action` about prescription `id`. */
export async function ledgerCount(w: RxWorld, action: string, id: string): Promise<number> {
  const page = await w.app.audit.ledger.entries(w.app.store.db, { action, targetId: id }, { limit: 200 });
  return page.entries.length;
}

/**
 * A live server with one patient holding a record of every type and a signed prescription, a
 * doctor on the care team (with a signing key), a stranger doctor, a second patient; FHIR calls
 * answer parsed JSON with status and content type.
 */
import { Readable } from 'node:stream';
import type { Resource } from '@medplum/fhirtypes';
import type { Actor } from '../../src/app/actor.js';
import type { AppContext } from '../../src/app/context.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import type { DialectName } from '../../src/store/database.js';
import { insertStaff, registration, tokenFor } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { addKey, type Signer } from '../prescriptions/world.js';

export interface FhirWorld {
  readonly server: TestServer;
  readonly app: AppContext;
  readonly base: string;
  readonly doctor: Signer;
  readonly stranger: { actor: Actor; token: string };
  readonly registrar: Actor;
  readonly patient: { id: string; token: string };
  readonly other: { id: string; token: string };
  readonly rxId: string;
  /** The imaging record's X-ray: its record, attachment id and plaintext bytes. */
  readonly xray: { recordId: string; attachmentId: string; bytes: Buffer };
  /** GET/POST under the FHIR base, as `token`. */
  fhir(method: string, path: string, token?: string, body?: unknown): Promise<FhirAnswer>;
  close(): Promise<void>;
}

export interface FhirAnswer {
  readonly status: number;
  readonly type: string;
  readonly body: Resource & Record<string, unknown>;
}

/** One record of every writable type, as a doctor types them. */
export const EVERY_RECORD = [
  {
    type: 'lab_result',
    title: 'Basic metabolic panel',
    body: {
      panel: 'Basic metabolic panel',
      collectedAt: '2029-11-02',
      analytes: [
        { name: 'Sodium', value: 139, unit: 'mmol/L', referenceLow: 135, referenceHigh: 145, flag: 'normal' },
        {
          name: 'Potassium',
          value: 5.9,
          unit: 'mmol/L',
          referenceLow: 3.5,
          referenceHigh: 5.1,
          flag: 'high',
        },
        { name: 'Mystery factor', value: 12, unit: 'arb' },
      ],
      notes: 'Repeat potassium in a week.',
    },
  },
  {
    type: 'vitals',
    title: 'Vitals at visit',
    body: {
      heartRate: 72,
      systolic: 128,
      diastolic: 82,
      weight: 71.5,
      temperature: 36.8,
      glucose: 98,
      measuredAt: '2029-11-02T09:30:00Z',
    },
  },
  { type: 'vitals', title: 'Pulse only', body: { heartRate: 64, systolic: 118 } },
  {
    type: 'diagnosis',
    title: 'Pneumonia',
    body: {
      icd10: 'J18.9',
      text: 'Pneumonia, unspecified organism',
      status: 'active',
      onset: '2029-10-30',
      notes: 'Right lower lobe.',
    },
  },
  {
    type: 'diagnosis',
    title: 'Suspected asthma',
    body: { icd10: 'J45.909', text: 'Asthma', status: 'suspected' },
  },
  {
    type: 'allergy',
    title: 'Peanut allergy',
    body: {
      substance: 'Peanut',
      reaction: 'Anaphylaxis',
      severity: 'life-threatening',
      notedAt: '2020-05-01',
    },
  },
  { type: 'allergy', title: 'Latex', body: { substance: 'Latex', severity: 'mild' } },
  {
    type: 'vaccination',
    title: 'Influenza vaccine',
    body: {
      vaccine: 'Influenza, quadrivalent (seasonal)',
      doseNumber: 1,
      administeredAt: '2029-10-01',
      lot: 'FLU-2029-A',
      site: 'Left deltoid',
    },
  },
  {
    type: 'clinical_note',
    title: 'Follow-up note',
    body: { text: 'Feeling better. Cough persists at night.\nPlan: review in 2 weeks.' },
  },
  {
    type: 'imaging',
    title: 'Chest X-ray',
    body: {
      modality: 'X-ray',
      bodyPart: 'Chest',
      findings: 'Patchy opacity in the right lower lobe.',
      impression: 'Right lower lobe pneumonia.',
    },
  },
] as const;

/** A real 1×1 PNG: the X-ray's bytes (the attachment checks the PNG signature). */
export const XRAY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Uploads `bytes` as a PNG to an imaging record, as the doctor `actor`. */
export async function uploadXray(app: AppContext, actor: Actor, recordId: string, bytes = XRAY_PNG) {
  return app.records.attachments.upload(scopeOf(actor), recordId, async () => ({
    fileName: 'chest-pa.png',
    contentType: 'image/png',
    content: Readable.from([bytes]),
  }));
}

export async function fhirWorld(options: { db?: DialectName } = {}): Promise<FhirWorld> {
  const server = await startTestServer({ db: options.db ?? 'sqlite' });
  const { app } = server;
  const db = app.store.db;
  const registrar = await insertStaff(db, 'registrar');
  const register = async (): Promise<{ id: string; token: string }> => {
    const { patientId } = await app.identity.patients.register(scopeOf(registrar), registration());
    return { id: patientId, token: await tokenFor(app, { userId: patientId, role: 'patient' }) };
  };
  const patient = await register();
  const other = await register();
  const doctorActor = await insertStaff(db, 'doctor', 'Dr Ada Signer');
  await app.sharing.careTeams.assign(scopeOf(registrar), patient.id, doctorActor.userId);
  const doctor = await addKey(app, doctorActor, 'ed25519');
  const strangerActor = await insertStaff(db, 'doctor', 'Dr Stranger');
  let imagingId = '';
  for (const r of EVERY_RECORD) {
    const created = await app.records.records.create(scopeOf(doctorActor), patient.id, {
      ...r,
      body: structuredClone(r.body),
    });
    if (r.type === 'imaging') imagingId = created.id;
  }
  const xray = await uploadXray(app, doctorActor, imagingId);
  const rx = await app.prescriptions.prescriptions.sign(
    scopeOf(doctorActor),
    signPrescriptionDraft(doctor.privateKeyPem, {
      patientId: patient.id,
      medicine: { id: 'ibuprofen-400mg-tablet', name: 'Ibuprofen', strength: '400 mg', form: 'tablet' },
      dose: '1 tablet',
      route: 'oral',
      frequency: 'every 8 hours',
      quantity: 30,
      refills: 1,
      instructions: 'Take with food.',
      prescriberId: doctorActor.userId,
      override: { reason: 'Repeat prescription in a test', warnings: [] },
    }),
  );
  const base = `${server.url}/fhir/R4`;
  return {
    server,
    app,
    base,
    doctor,
    stranger: { actor: strangerActor, token: await tokenFor(app, strangerActor) },
    registrar,
    patient,
    other,
    rxId: rx.id,
    xray: { recordId: imagingId, attachmentId: xray.id, bytes: XRAY_PNG },
    fhir: async (method, path, token, body) => {
      // A GET retried once when the server closed an idle keep-alive socket as it was reused.
      const send = (): Promise<Response> =>
        fetch(`${base}${path}`, {
          method,
          headers: {
            accept: 'application/fhir+json',
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
            ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const res = await send().catch((err: unknown) => {
        if (method === 'GET' && (err as { cause?: { code?: string } }).cause?.code === 'ECONNRESET')
          return send();
        throw err;
      });
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        body: (await res.json()) as FhirAnswer['body'],
      };
    },
    close: () => server.close(),
  };
}

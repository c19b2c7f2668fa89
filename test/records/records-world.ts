import { scopeOf } from '../support/scopes.js';
import type { Actor } from '../../src/app/actor.js';
import type { DialectName } from '../../src/store/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { jsonCaller } from '../support/http.js';
import { insertStaff, registration, tokenFor } from '../support/people.js';

/**
 * A live server with two patients (A, B), a doctor on A's care team, a doctor with no relation,
 * a pharmacist, a registrar and an admin, each with a session token.
 */
export interface RecordsWorld {
  readonly server: TestServer;
  readonly call: ReturnType<typeof jsonCaller>;
  readonly a: string;
  readonly b: string;
  readonly doctor: Actor;
  readonly stranger: Actor;
  readonly registrar: Actor;
  readonly tokens: Record<
    'doctor' | 'stranger' | 'pharmacist' | 'registrar' | 'admin' | 'patientA' | 'patientB',
    string
  >;
  dispose(): Promise<void>;
}

export async function recordsWorld(dialect: DialectName): Promise<RecordsWorld> {
  const server = await startTestServer({ db: dialect });
  const db = server.app.store.db;
  const registrar = await insertStaff(db, 'registrar');
  const doctor = await insertStaff(db, 'doctor', 'Dr Okafor');
  const stranger = await insertStaff(db, 'doctor', 'Dr Lindqvist');
  const a = (await server.app.identity.patients.register(scopeOf(registrar), registration())).patientId;
  const b = (await server.app.identity.patients.register(scopeOf(registrar), registration())).patientId;
  await server.app.sharing.careTeams.assign(scopeOf(registrar), a, doctor.userId);
  const tokens = {
    doctor: await tokenFor(server.app, doctor),
    stranger: await tokenFor(server.app, stranger),
    pharmacist: await tokenFor(server.app, await insertStaff(db, 'pharmacist')),
    registrar: await tokenFor(server.app, registrar),
    admin: await tokenFor(server.app, await insertStaff(db, 'admin')),
    patientA: await tokenFor(server.app, { userId: a, role: 'patient' }),
    patientB: await tokenFor(server.app, { userId: b, role: 'patient' }),
  };
  return {
    server,
    call: jsonCaller(server.url),
    a,
    b,
    doctor,
    stranger,
    registrar,
    tokens,
    dispose: () => server.close(),
  };
}

/** One valid body per writable type, with distinctive values to look for in stored bytes. */
export const SAMPLE_RECORDS = {
  lab_result: {
    title: 'Full blood count Quokkaville',
    body: {
      panel: 'Complete blood count Zebrafinch',
      collectedAt: '2026-11-02',
      analytes: [
        {
          name: 'Haemoglobin Xylophone',
          value: 13.71,
          unit: 'g/dL',
          referenceLow: 13.5,
          referenceHigh: 17.5,
          flag: 'normal',
        },
        {
          name: 'Platelets Wombatine',
          value: 412.37,
          unit: '10^9/L',
          referenceLow: 150,
          referenceHigh: 400,
          flag: 'high',
        },
      ],
      notes: 'Repeat in six weeks Narwhalish',
    },
  },
  diagnosis: {
    title: 'Community-acquired pneumonia Pelican',
    body: {
      icd10: 'J18.9',
      text: 'Pneumonia, unspecified organism',
      status: 'active',
      onset: '2026-10-30',
      notes: 'Left lower lobe Marmoset',
    },
  },
  clinical_note: {
    title: 'Follow-up visit Capybara',
    body: { text: 'Patient reports improvement Okapi-Tamarin; continue plan.' },
  },
  allergy: {
    title: 'Penicillin allergy Axolotl',
    body: {
      substance: 'Penicillin',
      reaction: 'Urticaria Flamingo',
      severity: 'moderate',
      notedAt: '2019-05-01',
    },
  },
  vaccination: {
    title: 'Influenza 2026 Ibexine',
    body: {
      vaccine: 'Influenza quadrivalent Gecko',
      doseNumber: 1,
      administeredAt: '2026-10-01',
      lot: 'LOT-QX7781',
      site: 'Left deltoid Koala',
    },
  },
  imaging: {
    title: 'Chest X-ray Manatee',
    body: {
      modality: 'X-ray',
      bodyPart: 'Chest Pangolin',
      findings: 'Consolidation Lemurian left base.',
      impression: 'Consistent with pneumonia Tapir.',
    },
  },
  vitals: {
    title: 'Vitals at triage Meerkat',
    body: {
      heartRate: 87,
      systolic: 131,
      diastolic: 83,
      weight: 72.4,
      temperature: 38.3,
      glucose: 117,
      measuredAt: '2026-11-20T09:30:00Z',
    },
  },
} as const;

/** Every string leaf and number of a value (what must never appear in stored bytes). */
export function plaintextLeaves(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 4 ? [value] : [];
  if (typeof value === 'number') return String(value).length >= 4 ? [String(value)] : [];
  if (Array.isArray(value)) return value.flatMap(plaintextLeaves);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(plaintextLeaves);
  return [];
}

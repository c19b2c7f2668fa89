import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FHIR_BASE, FHIR_ROUTES, type FhirRoute } from '../../src/contract/fhir/routes.js';
import { fhirErrorsDeep, load as loadFhirDefinitions } from '../support/fhir-validate.js';
import { insertStaff, tokenFor } from '../support/people.js';
import { fhirWorld, type FhirWorld } from './world.js';

/**
 * The FHIR routes' authorization matrix, from the attacker's side: every route of the FHIR route
 * table × every kind of caller, with the status the JSON API gives the same caller (404 for a
 * patient who is not theirs, 403 for a role that never may, 401 without a session). Every answer
 * is a FHIR resource of the standard (200: the resource; otherwise an OperationOutcome) served as
 * application/fhir+json.
 */
const CALLERS = [
  'anonymous',
  'admin',
  'registrar',
  'pharmacist',
  'doctor:care-team',
  'doctor:stranger',
  'patient:own',
  'patient:other',
] as const;
type Caller = (typeof CALLERS)[number];
type Row = Record<Caller, number>;

const row = (care: number, own: number, over: Partial<Row> = {}): Row => ({
  anonymous: 401,
  admin: 403,
  registrar: 403,
  pharmacist: 403,
  'doctor:care-team': care,
  'doctor:stranger': 404,
  'patient:own': own,
  'patient:other': 404,
  ...over,
});
/** Reads of P's clinical data: the care team and P; strangers and other patients 404; other roles 403. */
const CLINICAL = row(200, 200);

describe('FHIR authorization matrix', () => {
  let w: FhirWorld;
  const tokens: Partial<Record<Caller, string>> = {};
  /** A resource id of each type, all P's. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    loadFhirDefinitions();
    w = await fhirWorld();
    const { app } = w;
    for (const role of ['admin', 'registrar', 'pharmacist'] as const)
      tokens[role] = await tokenFor(app, await insertStaff(app.store.db, role));
    tokens['doctor:care-team'] = w.doctor.token;
    tokens['doctor:stranger'] = w.stranger.token;
    tokens['patient:own'] = w.patient.token;
    tokens['patient:other'] = w.other.token;
    const all = await w.fhir('GET', `/Patient/${w.patient.id}/$everything`, w.doctor.token);
    for (const e of (all.body as { entry: Array<{ resource: Resource }> }).entry)
      ids[e.resource.resourceType] ??= e.resource.id!;
  }, 60_000);
  afterAll(async () => w?.close());

  const P = (): string => w.patient.id;
  /** Each route's request (a valid one) and expected statuses. */
  const TABLE: Record<string, { path: () => string; body?: () => unknown; expect: Row }> = {
    metadata: { path: () => '/metadata', expect: Object.fromEntries(CALLERS.map((c) => [c, 200])) as Row },
    readPatient: { path: () => `/Patient/${P()}`, expect: row(200, 200, { registrar: 200 }) },
    searchPatient: {
      path: () => `/Patient?_id=${P()}`,
      expect: row(200, 200, { registrar: 200, 'doctor:stranger': 200, 'patient:other': 200 }),
    },
    everything: { path: () => `/Patient/${P()}/$everything`, expect: CLINICAL },
    importBundle: {
      path: () => `/Patient/${P()}/$import`,
      body: () => ({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: {
              resourceType: 'Condition',
              code: {
                coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J20.9' }],
                text: 'Acute bronchitis',
              },
              subject: { reference: `Patient/${P()}` },
            },
          },
        ],
      }),
      expect: row(200, 403, { registrar: 403 }),
    },
  };
  for (const type of [
    'Observation',
    'Condition',
    'AllergyIntolerance',
    'Immunization',
    'MedicationRequest',
    'Provenance',
    'DiagnosticReport',
    'DocumentReference',
    'ImagingStudy',
  ]) {
    TABLE[`read${type}`] = {
      path: () => `/${type}/${ids[type]}`,
      expect: {
        ...CLINICAL,
        ...(type === 'MedicationRequest' || type === 'Provenance' ? { pharmacist: 200 } : {}),
      },
    };
    TABLE[`search${type}`] = { path: () => `/${type}?patient=${P()}`, expect: CLINICAL };
  }

  // The X-ray's image: the record's access, exactly as the JSON attachment download.
  TABLE.readBinary = { path: () => `/Binary/${ids.Binary}`, expect: CLINICAL };
  // The access history: as the JSON access-log route — the patient their own, admins any, others 403.
  TABLE.searchAuditEvent = {
    path: () => `/AuditEvent?patient=${P()}`,
    expect: row(403, 200, { admin: 200, 'doctor:stranger': 403 }),
  };

  it('has a row for every route of the FHIR route table, and no row without one', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(FHIR_ROUTES).sort());
  });

  it('answers every route × caller as the JSON API would, always in FHIR', async () => {
    const wrong: string[] = [];
    for (const [name, r] of Object.entries(TABLE)) {
      const route: FhirRoute = FHIR_ROUTES[name]!;
      for (const caller of CALLERS) {
        const res = await w.fhir(route.method, r.path(), tokens[caller], r.body?.());
        const where = `${name} ${route.path.slice(FHIR_BASE.length)} as ${caller}`;
        if (res.status !== r.expect[caller])
          wrong.push(
            `${where}: expected ${r.expect[caller]} got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
          );
        if (!res.type.startsWith('application/fhir+json')) wrong.push(`${where}: content type ${res.type}`);
        if (res.status >= 400 && res.body.resourceType !== 'OperationOutcome')
          wrong.push(`${where}: not an OperationOutcome`);
        const errors = fhirErrorsDeep(res.body);
        if (errors.length > 0) wrong.push(`${where}: invalid FHIR ${errors.join('; ')}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('a stranger doctor learns nothing: an existing resource and a made-up one answer the same 404', async () => {
    const real = await w.fhir('GET', `/Condition/${ids.Condition}`, w.stranger.token);
    const fake = await w.fhir(
      'GET',
      `/Condition/${ids.Condition!.replace(/^.{8}/, '00000000')}`,
      w.stranger.token,
    );
    expect([real.status, fake.status]).toEqual([404, 404]);
    expect(real.body).toEqual(fake.body);
  });

  it('a patient reads only themself: another patient is 404 through every route that names one', async () => {
    for (const path of [
      `/Patient/${w.patient.id}`,
      `/Observation?patient=${w.patient.id}`,
      `/Patient/${w.patient.id}/$everything`,
    ])
      expect((await w.fhir('GET', path, w.other.token)).status, path).toBe(404);
  });

  it('every read is in the ledger as the JSON API leaves it: one record.read per record, about the patient', async () => {
    const db = w.app.store.db;
    const before = await w.app.audit.ledger.size(db);
    const found = await w.fhir('GET', `/Condition?patient=${w.patient.id}`, w.doctor.token);
    const shown = (found.body as { entry: unknown[] }).entry.length;
    const after = await w.app.audit.ledger.size(db);
    const { entries } = await w.app.audit.ledger.entries(db, { patientId: w.patient.id }, { limit: 20 });
    const fresh = entries.filter((e) => e.seq >= before);
    expect(shown).toBeGreaterThanOrEqual(2);
    expect(after - before).toBe(shown);
    expect(
      fresh.map((e) => [
        e.action,
        e.actor?.userId,
        e.patientId,
        (e.details as { relation?: string }).relation,
      ]),
    ).toEqual(
      Array.from({ length: shown }, () => ['record.read', w.doctor.actor.userId, w.patient.id, 'care_team']),
    );
    // A refused read is not a read: nothing is appended.
    await w.fhir('GET', `/Condition?patient=${w.patient.id}`, w.stranger.token);
    expect(await w.app.audit.ledger.size(db)).toBe(after);
  });
});

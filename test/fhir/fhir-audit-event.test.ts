import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crudeOf, EXT_ACCESS_COUNT } from '../../src/app/fhir/map-audit.js';
import { fhirErrorsDeep, load as loadFhirDefinitions } from '../support/fhir-validate.js';
import { insertStaff, tokenFor } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { fhirWorld, type FhirWorld } from './world.js';

/**
 * The patient's access history as AuditEvents: the same service and the same access as the JSON
 * access-log route, every event valid R4 with zero errors, mapping who, what, how and how often.
 */
describe('FHIR AuditEvent (the access history)', () => {
  let w: FhirWorld;
  const events = (b: unknown): AuditEvent[] =>
    ((b as Bundle).entry ?? []).map((e) => e.resource as AuditEvent);

  beforeAll(async () => {
    loadFhirDefinitions();
    w = await fhirWorld();
    // An emergency doctor breaks the glass and reads: the patient sees who, and why.
    const er = await insertStaff(w.app.store.db, 'doctor', 'Dr Emergency');
    await w.app.sharing.breakGlass.open(scopeOf(er), w.patient.id, 'Unconscious in the ER, allergy check');
    const erToken = await tokenFor(w.app, er);
    // Twice: alike entries of one day are one line with its count.
    for (let i = 0; i < 2; i++) await w.fhir('GET', `/AllergyIntolerance?patient=${w.patient.id}`, erToken);
  }, 60_000);
  afterAll(async () => w?.close());

  it('a patient reads their own: every event validates, the JSON access log line by line', async () => {
    const res = await w.fhir('GET', `/AuditEvent?patient=${w.patient.id}&_count=100`, w.patient.token);
    expect(res.status).toBe(200);
    expect(fhirErrorsDeep(res.body)).toEqual([]);
    const list = events(res.body);
    const json = await w.app.records.accessLog.list(
      scopeOf({ userId: w.patient.id, role: 'patient' }),
      w.patient.id,
      {
        limit: 100,
      },
    );
    // Line for line what the JSON access-log route answers.
    expect(list.map((e) => e.id)).toEqual(json.entries.map((e) => `ledger-${e.seq}`));
    expect(list.map((e) => e.subtype?.[0]?.code)).toEqual(json.entries.map((e) => e.action));
  });

  it('names the agent, the record, the relation and a break-glass reason', async () => {
    const list = events(
      (await w.fhir('GET', `/AuditEvent?patient=Patient/${w.patient.id}`, w.patient.token)).body,
    );
    const glass = list.find(
      (e) => e.subtype?.[0]?.code === 'record.read' && e.agent[0]?.purposeOfUse?.[0]?.text !== undefined,
    )!;
    expect(glass.action).toBe('R');
    expect(glass.outcome).toBe('0');
    expect(glass.agent[0]).toMatchObject({
      requestor: true,
      who: { display: 'Dr Emergency' },
      role: [{ text: 'doctor' }],
    });
    expect(glass.agent[0]!.who!.reference).toMatch(/^Practitioner\//);
    expect(glass.agent[0]!.purposeOfUse![0]).toMatchObject({ text: 'Unconscious in the ER, allergy check' });
    expect(glass.agent[0]!.purposeOfUse![0]!.coding!.map((c) => c.code)).toEqual(['ETREAT', 'break_glass']);
    expect(glass.entity![0]!.what).toEqual({ reference: `Patient/${w.patient.id}` });
    expect(glass.entity![1]!.what!.identifier!.system).toBe('https://medvault.example.org/fhir/record-id');
    expect(glass.extension).toEqual([{ url: EXT_ACCESS_COUNT, valueInteger: 2 }]);
    expect(glass.period!.start! <= glass.period!.end!).toBe(true);
    const create = list.find((e) => e.subtype?.[0]?.code === 'record.create')!;
    expect(create.action).toBe('C');
    expect(create.extension).toBeUndefined();
  });

  it('pages with _count and next links, each line once', async () => {
    const seen: string[] = [];
    let url: string | undefined = `/AuditEvent?patient=${w.patient.id}&_count=2`;
    while (url !== undefined) {
      const res = await w.fhir('GET', url, w.patient.token);
      expect(res.status).toBe(200);
      const page = events(res.body);
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((e) => e.id!));
      const next = (res.body as Bundle).link?.find((l) => l.relation === 'next')?.url;
      url = next?.slice(w.base.length);
    }
    expect(seen.length).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses as the JSON route: another patient 404, a doctor 403, no patient 400, a forged cursor 400', async () => {
    expect((await w.fhir('GET', `/AuditEvent?patient=${w.patient.id}`, w.other.token)).status).toBe(404);
    expect((await w.fhir('GET', `/AuditEvent?patient=${w.patient.id}`, w.doctor.token)).status).toBe(403);
    expect((await w.fhir('GET', `/AuditEvent`, w.patient.token)).status).toBe(400);
    expect(
      (await w.fhir('GET', `/AuditEvent?patient=${w.patient.id}&_cursor=bogus`, w.patient.token)).status,
    ).toBe(400);
    expect((await w.fhir('GET', `/AuditEvent?patient=${w.patient.id}&agent=x`, w.patient.token)).status).toBe(
      400,
    );
  });

  it('maps our ledger actions onto FHIR C R U D E', () => {
    expect(
      [
        'record.create',
        'record.read',
        'patient.listed',
        'search.hit',
        'grant.revoke',
        'password.change',
        'break_glass',
      ].map(crudeOf),
    ).toEqual(['C', 'R', 'R', 'R', 'D', 'U', 'E']);
  });
});

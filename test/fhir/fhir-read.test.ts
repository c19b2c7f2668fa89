import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A value parsed from JSON, read field by field by the assertions. */
type ParsedJson = ReturnType<typeof JSON.parse>;
import { fhirErrorsDeep, load as loadFhirDefinitions } from '../support/fhir-validate.js';
import { fhirWorld, type FhirWorld } from './world.js';

/**
 * The FHIR R4 read side: every record type comes out as resources that validate against the R4
 * StructureDefinitions with zero errors, with the codes and values the records hold.
 */
describe('FHIR R4 read side', () => {
  let w: FhirWorld;
  let everything: Bundle;
  beforeAll(async () => {
    loadFhirDefinitions();
    w = await fhirWorld();
    const res = await w.fhir('GET', `/Patient/${w.patient.id}/$everything`, w.doctor.token);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/fhir\+json/);
    everything = res.body as Bundle;
  }, 60_000);
  afterAll(async () => w?.close());

  const all = (type: string): Resource[] =>
    (everything.entry ?? []).map((e) => e.resource!).filter((r) => r.resourceType === type);

  it('serves a CapabilityStatement that validates, without a session', async () => {
    const res = await w.fhir('GET', '/metadata');
    expect(res.status).toBe(200);
    expect(res.body.resourceType).toBe('CapabilityStatement');
    expect(fhirErrorsDeep(res.body)).toEqual([]);
  });

  it('$everything holds every seeded record type, and every resource validates with zero errors', () => {
    expect(fhirErrorsDeep(everything)).toEqual([]);
    const counts = Object.fromEntries(
      [
        'Patient',
        'Observation',
        'DiagnosticReport',
        'Condition',
        'AllergyIntolerance',
        'Immunization',
        'DocumentReference',
        'ImagingStudy',
        'Binary',
        'MedicationRequest',
        'Provenance',
      ].map((t) => [t, all(t).length]),
    );
    // 3 analytes + (hr, bp, weight, temp, glucose) + (hr, systolic alone)
    expect(counts).toEqual({
      Patient: 1,
      Observation: 10,
      DiagnosticReport: 2,
      Condition: 2,
      AllergyIntolerance: 2,
      Immunization: 1,
      DocumentReference: 1,
      ImagingStudy: 1,
      Binary: 1,
      MedicationRequest: 1,
      Provenance: 1,
    });
  });

  it('maps codes and values: LOINC where the catalogue knows them, UCUM units, ICD-10, CVX, vital-signs profiles', () => {
    const obs = all('Observation') as Array<Resource & Record<string, ParsedJson>>;
    const potassium = obs.find((o) => o.code.text === 'Potassium')!;
    expect(potassium.code.coding[0]).toMatchObject({ system: 'http://loinc.org', code: '2823-3' });
    expect(potassium.valueQuantity).toEqual({
      value: 5.9,
      unit: 'mmol/L',
      system: 'http://unitsofmeasure.org',
      code: 'mmol/L',
    });
    expect(potassium.interpretation[0].coding[0].code).toBe('H');
    expect(obs.find((o) => o.code.text === 'Mystery factor')!.code.coding).toBeUndefined();
    const bp = obs.find((o) => o.code.coding?.[0]?.code === '85354-9')!;
    expect(bp.meta?.profile).toEqual(['http://hl7.org/fhir/StructureDefinition/bp']);
    expect(
      bp.component.map((c: ParsedJson) => [
        c.code.coding[0].code,
        c.valueQuantity.value,
        c.valueQuantity.code,
      ]),
    ).toEqual([
      ['8480-6', 128, 'mm[Hg]'],
      ['8462-4', 82, 'mm[Hg]'],
    ]);
    const temp = obs.find((o) => o.code.coding?.[0]?.code === '8310-5')!;
    expect(temp.valueQuantity).toMatchObject({ value: 36.8, code: 'Cel' });
    expect(temp.category[0].coding[0].code).toBe('vital-signs');
    const conditions = all('Condition') as Array<Resource & Record<string, ParsedJson>>;
    expect(conditions.map((c) => c.code.coding[0].code).sort()).toEqual(['J18.9', 'J45.909']);
    expect(
      conditions.find((c) => c.code.coding[0].code === 'J45.909')!.verificationStatus.coding[0].code,
    ).toBe('provisional');
    const imm = all('Immunization')[0] as Resource & Record<string, ParsedJson>;
    expect(imm.vaccineCode.coding[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/cvx', code: '150' });
    const doc = all('DocumentReference')[0] as Resource & Record<string, ParsedJson>;
    expect(Buffer.from(doc.content[0].attachment.data, 'base64').toString('utf8')).toContain(
      'Cough persists',
    );
  });

  it('reads each resource by id, answering the same resource as $everything', async () => {
    for (const entry of everything.entry ?? []) {
      const r = entry.resource!;
      const res = await w.fhir('GET', `/${r.resourceType}/${r.id}`, w.doctor.token);
      expect(res.status, `${r.resourceType}/${r.id}`).toBe(200);
      expect(res.body).toEqual(r);
    }
  });

  it('searches by patient, category, code and date, and pages with _count and next links', async () => {
    const p = w.patient.id;
    const ids = async (q: string): Promise<string[]> => {
      const res = await w.fhir('GET', `/Observation?${q}`, w.doctor.token);
      expect(res.status, q).toBe(200);
      expect(fhirErrorsDeep(res.body)).toEqual([]);
      return ((res.body as Bundle).entry ?? []).map((e) => e.resource!.id!);
    };
    expect(await ids(`patient=${p}`)).toHaveLength(10);
    expect(await ids(`patient=${p}&category=vital-signs`)).toHaveLength(6);
    expect(await ids(`patient=${p}&code=http://loinc.org|8867-4`)).toHaveLength(2);
    expect(await ids(`patient=Patient/${p}&code=2823-3`)).toHaveLength(1);
    expect(await ids(`patient=${p}&date=2029-11-02`)).toHaveLength(8);
    // Paging: 3 at a time, following next links, gives the 10 exactly once each.
    const seen: string[] = [];
    let url: string | undefined = `/Observation?patient=${p}&_count=3`;
    let pages = 0;
    while (url !== undefined) {
      const res = await w.fhir('GET', url, w.doctor.token);
      const bundle = res.body as Bundle;
      expect(bundle.entry!.length).toBeLessThanOrEqual(3);
      seen.push(...bundle.entry!.map((e) => e.resource!.id!));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      url = next === undefined ? undefined : next.slice(w.base.length);
      pages++;
    }
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(10);
    expect(seen.sort()).toEqual((await ids(`patient=${p}`)).sort());
  });

  it('exposes the prescription signature in a Provenance a consumer can verify', async () => {
    const prov = all('Provenance')[0] as Resource & Record<string, ParsedJson>;
    expect(prov.target[0].reference).toBe(`MedicationRequest/${w.rxId}`);
    const evidence = JSON.parse(Buffer.from(prov.contained[0].data, 'base64').toString('utf8'));
    expect(prov.signature[0].data).toBe(evidence.signature);
    expect(
      prov.signature[0].extension.find((e: ParsedJson) => e.url.endsWith('signing-key-id')).valueString,
    ).toBe(w.doctor.keyId);
    const { verifyEvidence } = await import('../../src/app/prescriptions/index.js');
    expect(verifyEvidence(evidence)).toMatchObject({ valid: true });
  });
});

describe('the FHIR validator used by these tests', () => {
  it('finds what is wrong: unknown elements, missing required ones, a broken vital-signs profile', async () => {
    const { fhirErrors } = await import('../support/fhir-validate.js');
    expect(
      fhirErrors({ resourceType: 'Condition', subject: { reference: 'Patient/x' }, foo: 1 } as never),
    ).not.toEqual([]);
    expect(fhirErrors({ resourceType: 'Observation', code: { text: 'x' } } as never)).not.toEqual([]);
    const hr = {
      resourceType: 'Observation',
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/heartrate'] },
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: 'Patient/x' },
      effectiveDateTime: '2020-01-01',
      valueQuantity: { value: 60, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    };
    // No vital-signs category: the profile's slice is missing.
    expect(fhirErrors(hr as never).join()).toMatch(/observation-heartrate.*(VSCat|category)/);
  });
});

import type { Bundle } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirErrorsDeep, load as loadFhirDefinitions } from '../support/fhir-validate.js';
import { fhirWorld, type FhirWorld } from './world.js';

/** A FHIR client library we did not write (fhir-kit-client) drives the API of a real server. */
describe('an independent FHIR client', () => {
  let w: FhirWorld;
  let client: Client;
  beforeAll(async () => {
    loadFhirDefinitions();
    w = await fhirWorld();
    client = new Client({ baseUrl: w.base, bearerToken: w.doctor.token });
  }, 60_000);
  afterAll(async () => w?.close());

  it('reads /metadata', async () => {
    const cs = (await client.capabilityStatement()) as { resourceType: string; fhirVersion: string };
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
  });

  it('searches and pages with next links to the last page', async () => {
    let page = (await client.search({
      resourceType: 'Observation',
      searchParams: { patient: w.patient.id, _count: 4 },
    })) as unknown as Bundle;
    const ids: string[] = [];
    let pages = 0;
    for (;;) {
      pages++;
      expect(fhirErrorsDeep(page)).toEqual([]);
      ids.push(...(page.entry ?? []).map((e) => e.resource!.id!));
      if (!page.link?.some((l) => l.relation === 'next')) break;
      page = (await client.nextPage({ bundle: page as never })) as unknown as Bundle;
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(10);
  });

  it('reads a resource and $everything', async () => {
    const patient = (await client.read({ resourceType: 'Patient', id: w.patient.id })) as unknown as {
      id: string;
    };
    expect(patient.id).toBe(w.patient.id);
    const all = (await client.operation({
      name: '$everything',
      resourceType: 'Patient',
      id: w.patient.id,
      method: 'GET',
    })) as unknown as Bundle;
    expect(all.type).toBe('searchset');
    expect(all.entry!.length).toBeGreaterThan(10);
  });

  it('reads the new types: ImagingStudy, the X-ray as a Binary with its bytes, and AuditEvents as the patient', async () => {
    const study = (await client.read({ resourceType: 'ImagingStudy', id: w.xray.recordId })) as unknown as {
      resourceType: string;
      series: Array<{ instance: unknown[] }>;
    };
    expect(study.resourceType).toBe('ImagingStudy');
    expect(study.series[0]!.instance).toHaveLength(1);
    const binary = (await client.read({ resourceType: 'Binary', id: w.xray.attachmentId })) as unknown as {
      resourceType: string;
      contentType: string;
      data: string;
    };
    expect(fhirErrorsDeep(binary as never)).toEqual([]);
    expect(binary.contentType).toBe('image/png');
    expect(Buffer.from(binary.data, 'base64').equals(w.xray.bytes)).toBe(true);
    const patient = new Client({ baseUrl: w.base, bearerToken: w.patient.token });
    const history = (await patient.search({
      resourceType: 'AuditEvent',
      searchParams: { patient: w.patient.id, _count: 5 },
    })) as unknown as Bundle;
    expect(fhirErrorsDeep(history)).toEqual([]);
    expect(history.entry!.length).toBeGreaterThan(0);
    expect(history.entry!.every((e) => e.resource!.resourceType === 'AuditEvent')).toBe(true);
  });

  it('sees a refusal as the OperationOutcome the server sent', async () => {
    const stranger = new Client({ baseUrl: w.base, bearerToken: w.stranger.token });
    const err = (await stranger
      .read({ resourceType: 'Patient', id: w.patient.id })
      .catch((e: unknown) => e)) as {
      response?: { status: number; data: { resourceType: string } };
    };
    expect(err.response?.status).toBe(404);
    expect(err.response?.data.resourceType).toBe('OperationOutcome');
  });
});

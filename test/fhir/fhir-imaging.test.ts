import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirErrors, fhirErrorsDeep, load as loadFhirDefinitions } from '../support/fhir-validate.js';
import { insertStaff, tokenFor } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { stored } from '../records/attachment-helpers.js';
import { fhirWorld, uploadXray, type FhirWorld } from './world.js';

/** A value parsed from JSON, read field by field by the assertions. */
type ParsedJson = ReturnType<typeof JSON.parse>;

/**
 * Imaging over FHIR: an X-ray record is a DiagnosticReport (RAD) and an ImagingStudy, its image a
 * Binary — the decrypted bytes as their own type, or FHIR JSON with base64 data — read through
 * the same access scope as the JSON attachment download and ledgered as one (`attachment.read`),
 * integrity checked as it is.
 */
describe.each(DIALECTS)('FHIR imaging on %s', (dialect) => {
  let w: FhirWorld;
  let everything: Bundle;
  const raw = async (path: string, token: string | undefined, accept = 'image/*') =>
    fetch(`${w.base}${path}`, {
      headers: { accept, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    });
  const reads = async (): Promise<number> =>
    (
      await w.app.audit.ledger.entries(
        w.app.store.db,
        { patientId: w.patient.id, action: 'attachment.read' },
        { limit: 100 },
      )
    ).entries.length;

  beforeAll(async () => {
    loadFhirDefinitions();
    w = await fhirWorld({ db: dialect });
    everything = (await w.fhir('GET', `/Patient/${w.patient.id}/$everything`, w.doctor.token)).body as Bundle;
  }, 120_000);
  afterAll(async () => w?.close());

  const of = (type: string) =>
    (everything.entry ?? [])
      .map((e) => e.resource as Resource & Record<string, ParsedJson>)
      .filter((r) => r.resourceType === type);

  it('maps the X-ray to a RAD DiagnosticReport and an ImagingStudy that validate with zero errors', () => {
    const report = of('DiagnosticReport').find((r) => r.id === w.xray.recordId)!;
    const study = of('ImagingStudy')[0]!;
    expect(fhirErrors(report)).toEqual([]);
    expect(fhirErrors(study)).toEqual([]);
    expect(report.category[0].coding[0]).toMatchObject({ code: 'RAD' });
    expect(report.code.coding[0]).toMatchObject({ system: 'http://loinc.org', code: '18748-4' });
    expect(report.conclusion).toBe('Right lower lobe pneumonia.');
    expect(report.imagingStudy).toEqual([{ reference: `ImagingStudy/${w.xray.recordId}` }]);
    expect(report.presentedForm).toEqual([
      expect.objectContaining({
        contentType: 'image/png',
        url: `Binary/${w.xray.attachmentId}`,
        size: w.xray.bytes.length,
        title: 'chest-pa.png',
      }),
    ]);
    expect(study.modality[0]).toMatchObject({
      system: 'http://dicom.nema.org/resources/ontology/DCM',
      code: 'DX',
    });
    expect(study.series[0].bodySite.display).toBe('Chest');
    expect(study.series[0].uid).toMatch(/^2\.25\.\d+$/);
    expect(study.series[0].instance).toHaveLength(1);
    expect(study.note[0].text).toBe('Patchy opacity in the right lower lobe.');
    expect(study.numberOfInstances).toBe(1);
  });

  it('$everything carries the image itself, as a Binary with base64 data (the round trip needs the bytes)', () => {
    const [binary] = of('Binary');
    expect(binary).toMatchObject({
      id: w.xray.attachmentId,
      contentType: 'image/png',
      securityContext: { reference: `DiagnosticReport/${w.xray.recordId}` },
    });
    expect(Buffer.from(binary!.data, 'base64').equals(w.xray.bytes)).toBe(true);
    expect(fhirErrors(binary!)).toEqual([]);
  });

  it('Binary/<id> answers the decrypted bytes with their type, as the JSON download does, and ledgers the read', async () => {
    const before = await reads();
    const res = await raw(`/Binary/${w.xray.attachmentId}`, w.patient.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="chest-pa.png"/);
    expect(Buffer.from(await res.arrayBuffer()).equals(w.xray.bytes)).toBe(true);
    expect(await reads()).toBe(before + 1);
  });

  it('Binary/<id> with Accept application/fhir+json (or _format=json) is a Binary resource with base64 data', async () => {
    const res = await w.fhir('GET', `/Binary/${w.xray.attachmentId}`, w.doctor.token);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/fhir\+json/);
    expect(res.body).toEqual(of('Binary')[0]);
    expect(fhirErrors(res.body)).toEqual([]);
    const viaFormat = await raw(`/Binary/${w.xray.attachmentId}?_format=json`, w.doctor.token, '*/*');
    expect(((await viaFormat.json()) as { data: string }).data).toBe(w.xray.bytes.toString('base64'));
    const xml = await raw(
      `/Binary/${w.xray.attachmentId}?_format=xml`,
      w.doctor.token,
      'application/fhir+json',
    );
    expect(xml.headers.get('content-type')).toBe('image/png');
  });

  it('refuses as the JSON download: a stranger doctor and another patient 404 (alike for made-up ids), a pharmacist 403, no session 401', async () => {
    const before = await reads();
    const fake = w.xray.attachmentId.replace(/^.{8}/, '00000000');
    for (const token of [w.stranger.token, w.other.token]) {
      const real = await w.fhir('GET', `/Binary/${w.xray.attachmentId}`, token);
      const made = await w.fhir('GET', `/Binary/${fake}`, token);
      expect([real.status, made.status]).toEqual([404, 404]);
      expect(real.body).toEqual(made.body);
      expect((await raw(`/Binary/${w.xray.attachmentId}`, token)).status).toBe(404);
    }
    const pharmacist = await tokenFor(w.app, await insertStaff(w.app.store.db, 'pharmacist'));
    expect((await w.fhir('GET', `/Binary/${w.xray.attachmentId}`, pharmacist)).status).toBe(403);
    expect((await w.fhir('GET', `/Binary/${w.xray.attachmentId}`)).status).toBe(401);
    expect((await w.fhir('GET', `/Binary/not_an_id!`, w.doctor.token)).status).toBe(400);
    expect(await reads()).toBe(before);
  });

  it('a tampered image is a 422 OperationOutcome in both forms, and an integrity failure in the ledger', async () => {
    const doctor = w.doctor.actor;
    const up = await uploadXray(w.app, doctor, w.xray.recordId);
    const bytes = await stored.read(w.server, up.id);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x01;
    await stored.write(w.server, up.id, bytes);
    const json = await w.fhir('GET', `/Binary/${up.id}`, w.doctor.token);
    expect(json.status).toBe(422);
    expect(json.body.resourceType).toBe('OperationOutcome');
    expect((await raw(`/Binary/${up.id}`, w.doctor.token)).status).toBe(422);
    expect((await w.fhir('GET', `/Patient/${w.patient.id}/$everything`, w.doctor.token)).status).toBe(422);
    const failures = await w.app.audit.ledger.entries(
      w.app.store.db,
      { patientId: w.patient.id, action: 'record.integrity_failure' },
      { limit: 10 },
    );
    expect(failures.entries.filter((e) => e.target?.id === up.id).length).toBeGreaterThanOrEqual(3);
    await stored.remove(w.server, up.id);
  });

  it('searches ImagingStudy and DiagnosticReport?category=RAD by patient', async () => {
    const studies = await w.fhir('GET', `/ImagingStudy?patient=${w.patient.id}`, w.doctor.token);
    expect(((studies.body as Bundle).entry ?? []).map((e) => e.resource!.id)).toEqual([w.xray.recordId]);
    const rad = await w.fhir(
      'GET',
      `/DiagnosticReport?patient=${w.patient.id}&category=RAD`,
      w.patient.token,
    );
    expect(((rad.body as Bundle).entry ?? []).map((e) => e.resource!.id)).toEqual([w.xray.recordId]);
    expect(fhirErrorsDeep(rad.body)).toEqual([]);
  });
});

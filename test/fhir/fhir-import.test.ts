import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A value parsed from JSON, read field by field by the assertions. */
type ParsedJson = ReturnType<typeof JSON.parse>;
import type { Actor } from '../../src/app/actor.js';
import { fhirErrorsDeep, load as loadFhirDefinitions } from '../support/fhir-validate.js';
import { insertStaff, registration, tokenFor } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { DIALECTS } from '../support/stores.js';
import { EVERY_RECORD, fhirWorld, type FhirWorld } from './world.js';

/**
 * The records of a patient as the JSON services see them: type, title, body (order-free). With
 * `fillMeasuredAt`, a vitals record without `measuredAt` gets the time it was written: FHIR's
 * vital signs need an effective time, so that is what they export and the far side records.
 */
async function recordsOf(
  server: TestServer,
  actor: Actor,
  patientId: string,
  fillMeasuredAt = false,
): Promise<unknown[]> {
  const scope = scopeOf(actor);
  const page = await server.app.records.records.list(scope, patientId, { limit: 100 });
  const out: unknown[] = [];
  for (const r of page.records) {
    if (r.type === 'prescription') continue;
    const full = await server.app.records.records.get(scope, r.id);
    const body = full.body as Record<string, unknown>;
    const filled =
      fillMeasuredAt && full.type === 'vitals' && body.measuredAt === undefined
        ? { ...body, measuredAt: new Date(full.createdAt).toISOString() }
        : body;
    out.push({ type: full.type, title: full.title, body: filled });
  }
  return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/**
 * Records, and ledger entries other than the reader's demographics read (the import reaches the
 * patient through `patients.get`, which ledgers that read whatever follows): a refused import
 * must add neither a record nor any entry about writing one.
 */
const counts = async (server: TestServer): Promise<{ records: number; ledger: number }> => {
  const db = server.app.store.db;
  const records = await db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const ledger = await db
    .selectFrom('ledger_entries')
    .where('action', '!=', 'patient.demographics_read')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { records: Number(records.n), ledger: Number(ledger.n) };
};

describe.each(DIALECTS)('FHIR import on %s', (dialect) => {
  let a: FhirWorld;
  let b: TestServer;
  let doctorB: Actor;
  let tokenB: string;
  let target: string;
  let exported: Bundle;
  const post = async (bundle: unknown, patient = target, token = tokenB) => {
    const res = await fetch(`${b.url}/fhir/R4/Patient/${patient}/$import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(bundle),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (await res.json()) as Resource & Record<string, ParsedJson>,
    };
  };

  beforeAll(async () => {
    loadFhirDefinitions();
    a = await fhirWorld({ db: dialect });
    b = await startTestServer({ db: dialect });
    const registrar = await insertStaff(b.app.store.db, 'registrar');
    target = (await b.app.identity.patients.register(scopeOf(registrar), registration())).patientId;
    doctorB = await insertStaff(b.app.store.db, 'doctor', 'Dr Far Side');
    await b.app.sharing.careTeams.assign(scopeOf(registrar), target, doctorB.userId);
    tokenB = await tokenFor(b.app, doctorB);
    exported = (await a.fhir('GET', `/Patient/${a.patient.id}/$everything`, a.doctor.token)).body as Bundle;
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('an invalid bundle (one bad resource among good ones) creates nothing and names the bad one', async () => {
    const before = await counts(b);
    const entries = structuredClone(exported.entry!);
    const bad = entries.findIndex((e) => e.resource?.resourceType === 'Immunization');
    delete (entries[bad]!.resource as ParsedJson).occurrenceDateTime;
    const res = await post({ resourceType: 'Bundle', type: 'transaction', entry: entries });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/fhir\+json/);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].details.text).toContain(`Bundle.entry[${bad}] (Immunization/`);
    expect(fhirErrorsDeep(res.body)).toEqual([]);
    expect(await counts(b)).toEqual(before);
  });

  it('a bundle whose resource passes our reading but not a record schema is refused whole too', async () => {
    const before = await counts(b);
    const entries = structuredClone(exported.entry!);
    const bad = entries.findIndex((e) => e.resource?.resourceType === 'Condition');
    (entries[bad]!.resource as ParsedJson).code.coding[0].code = 'not-icd';
    const res = await post({ resourceType: 'Bundle', type: 'transaction', entry: entries });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].details.text).toMatch(new RegExp(`^Bundle\\.entry\\[${bad}\\] \\(Condition/`));
    expect(await counts(b)).toEqual(before);
  });

  it('a stranger doctor gets 404 and the patient 403, and nothing is created', async () => {
    const before = await counts(b);
    const stranger = await insertStaff(b.app.store.db, 'doctor', 'Dr Nobody');
    expect((await post(exported, target, await tokenFor(b.app, stranger))).status).toBe(404);
    expect(
      (await post(exported, target, await tokenFor(b.app, { userId: target, role: 'patient' }))).status,
    ).toBe(403);
    expect(await counts(b)).toEqual(before);
  });

  it('round trip: $everything from one MedVault imported into another gives the same records, codes and values', async () => {
    expect(fhirErrorsDeep(exported)).toEqual([]);
    const res = await post(exported);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    expect(fhirErrorsDeep(res.body)).toEqual([]);
    const doctorA = a.doctor.actor;
    expect(await recordsOf(b, doctorB, target)).toEqual(
      await recordsOf(a.server, doctorA, a.patient.id, true),
    );
    expect((await recordsOf(b, doctorB, target)).length).toBe(EVERY_RECORD.length);
    // The far side answers the same resources (other ids, same codes and values).
    const again = (await (
      await fetch(`${b.url}/fhir/R4/Patient/${target}/$everything`, {
        headers: { authorization: `Bearer ${tokenB}` },
      })
    ).json()) as Bundle;
    const shape = (bundle: Bundle) =>
      (bundle.entry ?? [])
        .map((e) => e.resource as Record<string, ParsedJson>)
        .filter((r) => !['Patient', 'MedicationRequest', 'Provenance'].includes(r.resourceType))
        .map((r) =>
          JSON.stringify({
            t: r.resourceType,
            code: r.code ?? r.vaccineCode,
            v: r.valueQuantity ?? r.component ?? null,
          }),
        )
        .sort();
    expect(shape(again)).toEqual(shape(exported));
    // The X-ray travelled: the far side's imaging record holds an image with the same bytes.
    const scopeB = scopeOf(doctorB);
    const imaging = (await b.app.records.records.list(scopeB, target, { limit: 100 })).records.find(
      (r) => r.type === 'imaging',
    )!;
    const [image] = await b.app.records.attachments.list(scopeB, imaging.id);
    expect(image).toMatchObject({
      contentType: 'image/png',
      fileName: 'chest-pa.png',
      size: a.xray.bytes.length,
    });
    const { bytes } = await b.app.records.attachments.readWhole(scopeB, image!.id);
    expect(bytes.equals(a.xray.bytes)).toBe(true);
    const binaryAt = exported.entry!.findIndex((e) => e.resource?.resourceType === 'Binary');
    expect(res.body.entry[binaryAt].response).toEqual({
      status: '201 Created',
      location: `Binary/${image!.id}`,
    });
  });

  it('an image that is not what it says (or a report naming an image not in the bundle) refuses the whole import', async () => {
    const before = await counts(b);
    const entries = structuredClone(exported.entry!);
    const at = entries.findIndex((e) => e.resource?.resourceType === 'Binary');
    (entries[at]!.resource as ParsedJson).data = Buffer.from('<script>alert(1)</script>').toString('base64');
    const res = await post({ resourceType: 'Bundle', type: 'transaction', entry: entries });
    expect(res.status).toBe(415);
    expect(res.body.issue[0].details.text).toContain(`Bundle.entry[${at}] (Binary/`);
    (entries[at]!.resource as ParsedJson).data = 'not base64!';
    const notBase64 = await post({ resourceType: 'Bundle', type: 'transaction', entry: entries });
    expect(notBase64.status).toBe(400);
    expect(notBase64.body.issue[0].details.text).toContain(`Bundle.entry[${at}] (Binary/`);
    const missing = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: entries.filter((_, i) => i !== at),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.issue[0].details.text).toMatch(/the image Binary\/[\w-]+ is not in the bundle/);
    expect(fhirErrorsDeep(missing.body)).toEqual([]);
    expect(await counts(b)).toEqual(before);
  });

  it('a Binary no imaging report names is left out with a warning', async () => {
    const binary = exported.entry!.find((e) => e.resource?.resourceType === 'Binary')!;
    const condition = exported.entry!.find((e) => e.resource?.resourceType === 'Condition')!;
    const res = await post({ resourceType: 'Bundle', type: 'collection', entry: [condition, binary] });
    expect(res.status).toBe(200);
    expect(res.body.entry[1].response.outcome.issue[0].details.text).toMatch(/^Not imported: a Binary/);
  });
});

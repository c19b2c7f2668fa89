import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirWorld, type FhirWorld } from './world.js';

/**
 * Random hostile input to the imaging and audit routes of the FHIR API: odd Binary ids, odd
 * AuditEvent parameters and cursors, and import bundles whose imaging entries are malformed in
 * random ways. Each answers a 2xx or a 4xx OperationOutcome — never a 500 — and a refused import
 * creates no record and no attachment.
 */
describe('FHIR imaging and AuditEvent under random input', () => {
  let w: FhirWorld;
  const count = async (table: 'records' | 'attachments'): Promise<number> =>
    Number(
      (
        await w.app.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const send = async (path: string, token: string, init: RequestInit = {}) => {
    const res = await fetch(`${w.base}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/fhir+json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
      },
    });
    const text = await res.text();
    return { status: res.status, body: text };
  };
  const isOutcome = (body: string): boolean =>
    (JSON.parse(body) as { resourceType?: string }).resourceType === 'OperationOutcome';

  beforeAll(async () => {
    w = await fhirWorld();
  }, 60_000);
  afterAll(async () => w?.close());

  it('Binary/<anything>: 4xx OperationOutcome, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }), fc.boolean(), async (id, json) => {
        const res = await send(
          `/Binary/${encodeURIComponent(id)}${json ? '' : '?_format=xml'}`,
          w.doctor.token,
        );
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(isOutcome(res.body)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('AuditEvent with random parameters: 200 or a 4xx OperationOutcome', async () => {
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constant(w.patient.id), fc.integer().map(String));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('patient', '_count', '_cursor', 'date', 'agent', '_format'), value),
        async (params) => {
          const q = new URLSearchParams(params).toString();
          const res = await send(`/AuditEvent?${q}`, w.patient.token);
          expect(res.status === 200 || (res.status >= 400 && res.status < 500), `${q}: ${res.status}`).toBe(
            true,
          );
          if (res.status !== 200) expect(isOutcome(res.body)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('imports of malformed imaging entries are refused whole (4xx), never a 500, nothing created', async () => {
    const anything = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
    );
    const report = fc.record(
      {
        resourceType: fc.constant('DiagnosticReport'),
        id: fc.constant('r1'),
        category: fc.constant([{ coding: [{ code: 'RAD' }] }]),
        conclusion: anything,
        code: fc.oneof(anything, fc.constant({ text: 'X-ray of chest' })),
        imagingStudy: fc.oneof(anything, fc.constant([{ reference: 'ImagingStudy/s1' }])),
        presentedForm: fc.oneof(
          anything,
          fc.constant([{ url: 'Binary/b1', contentType: 'image/png' }]),
          fc.constant([{ url: 'Binary/missing' }]),
          fc.constant([{ data: '%%%', contentType: 'image/png' }]),
        ),
      },
      { requiredKeys: ['resourceType', 'id'] },
    );
    const study = fc.record(
      {
        resourceType: fc.constant('ImagingStudy'),
        id: fc.constant('s1'),
        modality: anything,
        series: fc.oneof(anything, fc.constant([{ modality: { code: 'DX' }, bodySite: anything }])),
        note: anything,
      },
      { requiredKeys: ['resourceType', 'id'] },
    );
    const binary = fc.record(
      {
        resourceType: fc.constant('Binary'),
        id: fc.constant('b1'),
        contentType: fc.oneof(anything, fc.constantFrom('image/png', 'text/html', 'application/dicom')),
        data: fc.oneof(anything, fc.constant(Buffer.from('<svg onload=alert(1)>').toString('base64'))),
      },
      { requiredKeys: ['resourceType', 'id'] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(report, study, binary), { minLength: 1, maxLength: 3 }),
        async (resources) => {
          const records = await count('records');
          const attachments = await count('attachments');
          const bundle = {
            resourceType: 'Bundle',
            type: 'transaction',
            entry: resources.map((resource) => ({ resource })),
          };
          const res = await send(`/Patient/${w.patient.id}/$import`, w.doctor.token, {
            method: 'POST',
            body: JSON.stringify(bundle),
          });
          expect(res.status, res.body.slice(0, 300)).toBeLessThan(500);
          if (res.status >= 400) expect(isOutcome(res.body)).toBe(true);
          // Only an import that succeeded may add anything.
          if (res.status >= 400) {
            expect(await count('records')).toBe(records);
            expect(await count('attachments')).toBe(attachments);
          }
        },
      ),
      { numRuns: 80 },
    );
  }, 120_000);

  // The property's counterexample from a CI run (contentType {} on the Binary: a 500), and its
  // siblings on the inline form and the title.
  it.each([
    ['a Binary whose contentType is an object', { contentType: 'image/png' }, { contentType: {} }, 2],
    ['a presentedForm whose contentType is a number', { contentType: 7 }, { contentType: undefined }, 1],
    ['a presentedForm whose title is an object', { contentType: 'image/png', title: {} }, {}, 1],
  ])('an import with %s is a 400 naming the entry, and creates nothing', async (_n, form, binary, entry) => {
    const records = await count('records');
    const attachments = await count('attachments');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { resourceType: 'DiagnosticReport', id: 'r0', category: [{ coding: [{ code: 'RAD' }] }] },
        },
        {
          resource: {
            resourceType: 'DiagnosticReport',
            id: 'r1',
            category: [{ coding: [{ code: 'RAD' }] }],
            presentedForm: [{ url: 'Binary/b1', ...form }],
          },
        },
        { resource: { resourceType: 'Binary', id: 'b1', data: png, ...binary } },
      ],
    };
    const res = await send(`/Patient/${w.patient.id}/$import`, w.doctor.token, {
      method: 'POST',
      body: JSON.stringify(bundle),
    });
    expect(res.status, res.body.slice(0, 300)).toBe(400);
    expect(isOutcome(res.body)).toBe(true);
    expect(res.body).toContain(`Bundle.entry[${entry}]`);
    expect(await count('records')).toBe(records);
    expect(await count('attachments')).toBe(attachments);
  });
});

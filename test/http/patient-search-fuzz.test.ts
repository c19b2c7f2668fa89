import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrnOf } from '../../src/contract/vocabulary/mrn.js';
import { jsonCaller } from '../support/http.js';
import { identityOf, insertStaff, registration, tokenFor } from '../support/people.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Random bodies, well-formed and not, to the patient search and the break-glass look-up: never a
 * 5xx, every refusal in the error shape, nothing changed but the ledger; a doctor who reaches
 * nobody is never shown anyone, and a look-up answers identity fields only and is ledgered once
 * for every answer it gives.
 */
const NAMES = ['Ada Lovelace', 'Ådne Øvrebø', 'Li Wei', 'Zoë Ó Súilleabháin'];

/** A field value: absent, a plausible one, or anything JSON. */
const fieldValue = (plausible: fc.Arbitrary<string>) =>
  fc.oneof(fc.constant(undefined), plausible, fc.string({ maxLength: 220 }), fc.jsonValue({ maxDepth: 2 }));
const mrnish = fc.oneof(
  fc.stringMatching(/^[0-9]{8}$/),
  fc.stringMatching(/^[0-9]{4}[ -][0-9]{4}$/),
  fc.stringMatching(/^[0-9 -]{1,16}$/),
);
const dateish = fc.oneof(
  fc.constantFrom('1970-01-01', '1999-12-31', '2100-01-01', '1899-12-31', '2001-02-29'),
  fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/),
);
const nameish = fc.oneof(
  fc.constantFrom(...NAMES, 'ada', 'lovelace ada', 'Ø', '---', ''),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const body = (nameField: 'name' | 'fullName') =>
  fc.oneof(
    // Well-formed: a valid MRN (found or not), or a name with a date of birth.
    fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => JSON.stringify({ mrn: mrnOf(String(n)) })),
    fc
      .tuple(fc.constantFrom(...NAMES, 'ada', 'Wei Li'), dateish)
      .map(([name, dateOfBirth]) => JSON.stringify({ [nameField]: name, dateOfBirth })),
    fc
      .record({ mrn: fieldValue(mrnish), [nameField]: fieldValue(nameish), dateOfBirth: fieldValue(dateish) })
      .map((b) => JSON.stringify(Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)))),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 60 }),
  );

describe('fuzzing the patient search and the break-glass look-up', () => {
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  const token: Record<string, string> = {};
  let lookups = 0;

  beforeAll(async () => {
    server = await startTestServer({ settings: { MEDVAULT_BREAK_GLASS_LOOKUP_RATE_LIMIT: '1000' } });
    call = jsonCaller(server.url);
    for (const role of ['registrar', 'doctor'] as const)
      token[role] = await tokenFor(server.app, await insertStaff(server.app.store.db, role));
    for (const fullName of NAMES)
      expect(
        (
          await call('POST', '/api/v1/patients', {
            token: token.registrar,
            body: identityOf(registration({ fullName, dateOfBirth: '1970-01-01' })),
          })
        ).status,
      ).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  const counts = async () => ({
    patients: (await server.app.store.db.selectFrom('patients').select('id').execute()).length,
    tokens: (await server.app.store.db.selectFrom('patient_search_tokens').select('token').execute()).length,
    breakGlass: (await server.app.store.db.selectFrom('break_glass').select('id').execute()).length,
  });
  const ledgeredLookups = async () =>
    (
      await server.app.store.db
        .selectFrom('ledger_entries')
        .select('seq')
        .where('action', '=', 'break_glass.lookup')
        .execute()
    ).length;

  it('search: 200 or a 4xx in the error shape; a doctor who reaches nobody is shown nobody', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(body('name'), fc.constantFrom('registrar', 'doctor'), async (raw, who) => {
        const res = await call('POST', '/api/v1/patients/search', { token: token[who], raw });
        expect(res.status, raw).toBeLessThan(500);
        if (res.status !== 200) {
          expect(res.status, raw).toBeGreaterThanOrEqual(400);
          expect(Object.keys(res.body ?? {})).toEqual(['error']);
          return;
        }
        if (who === 'doctor') expect(res.body.patients, raw).toEqual([]);
      }),
      { numRuns: 150 },
    );
    expect(await counts()).toEqual(before);
  });

  it('look-up: identity fields only, never on a name without a date of birth, one ledger entry per answer', async () => {
    const before = await counts();
    const ledgerBefore = await ledgeredLookups();
    await fc.assert(
      fc.asyncProperty(body('fullName'), async (raw) => {
        const res = await call('POST', '/api/v1/break-glass/lookup', { token: token.doctor, raw });
        expect(res.status, raw).toBeLessThan(500);
        if (res.status !== 200) {
          expect(res.status, raw).toBeGreaterThanOrEqual(400);
          expect(Object.keys(res.body ?? {})).toEqual(['error']);
          return;
        }
        lookups++;
        const sent = JSON.parse(raw) as { mrn?: string; fullName?: string; dateOfBirth?: string };
        const hasMrn = typeof sent.mrn === 'string' && sent.mrn.trim().length > 0;
        expect(
          hasMrn || (typeof sent.fullName === 'string' && typeof sent.dateOfBirth === 'string'),
          raw,
        ).toBe(true);
        for (const p of res.body.patients as unknown as object[])
          expect(Object.keys(p).sort()).toEqual(['dateOfBirth', 'fullName', 'id', 'mrn']);
      }),
      { numRuns: 150 },
    );
    expect(await counts()).toEqual(before);
    expect(lookups).toBeGreaterThan(0);
    expect((await ledgeredLookups()) - ledgerBefore).toBe(lookups);
  });
});

import { scopeOf } from '../support/scopes.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonCaller } from '../support/http.js';
import { insertStaff, registration, tokenFor } from '../support/people.js';
import { startTestServer, type TestServer } from '../support/server.js';

const TABLES = [
  'users',
  'patients',
  'sessions',
  'lockouts',
  'care_teams',
  'grants',
  'break_glass',
  'data_keys',
  'patient_enrolments',
] as const;

/**
 * A body that can never pass the route's schema, even after Fastify's type coercion (numbers and
 * booleans become strings, null becomes '', one-element arrays unwrap): not an object at all, an
 * object missing a required field, or one whose required field holds an object or a longer array.
 */
function malformedBody(required: readonly string[]): fc.Arbitrary<unknown> {
  const value = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.object(),
  );
  const uncoercible = fc.oneof(fc.object(), fc.array(fc.anything(), { minLength: 2, maxLength: 4 }));
  const withFields = fc.dictionary(fc.constantFrom(...required, 'extra', '__proto__', 'constructor'), value);
  return fc.oneof(
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.anything()),
    ),
    fc
      .tuple(withFields, fc.constantFrom(...required))
      .map(([body, missing]) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== missing))),
    fc
      .tuple(withFields, fc.constantFrom(...required), uncoercible)
      .map(([body, field, bad]) => ({ ...body, [field]: bad })),
  );
}

/** Malformed JSON text (or JSON of the wrong shape), sent raw. */
const rawText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('{', '{"ssn":', '[', '{"a":1,}', 'null', '""', '{"ssn":"123-45-6789"'),
);

describe('patient and sharing routes under random malformed input', () => {
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let routes: Array<{ path: string; token?: string; required: readonly string[] }>;
  let tokens: { registrar: string; doctor: string; patient: string };
  let patientId: string;

  const counts = async (): Promise<Record<string, number>> => {
    const db = server.app.store.db;
    const out: Record<string, number> = {};
    for (const t of TABLES) {
      const row = await db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      out[t] = Number(row.n);
    }
    return out;
  };

  beforeAll(async () => {
    server = await startTestServer();
    call = jsonCaller(server.url);
    const db = server.app.store.db;
    const registrar = await insertStaff(db, 'registrar');
    const doctor = await insertStaff(db, 'doctor');
    patientId = (await server.app.identity.patients.register(scopeOf(registrar), registration())).patientId;
    tokens = {
      registrar: await tokenFor(server.app, registrar),
      doctor: await tokenFor(server.app, doctor),
      patient: await tokenFor(server.app, { userId: patientId, role: 'patient' }),
    };
    routes = [
      { path: '/api/v1/auth/patient/login', required: ['ssn', 'pin', 'password'] },
      {
        path: '/api/v1/auth/pin-recovery',
        required: ['ssn', 'password', 'dateOfBirth', 'recoveryCode', 'newPin'],
      },
      { path: '/api/v1/auth/pin-reset', required: ['ssn', 'password', 'resetToken', 'newPin'] },
      {
        path: '/api/v1/patients',
        token: tokens.registrar,
        required: ['ssn', 'fullName', 'dateOfBirth', 'smokingStatus'],
      },
      { path: '/api/v1/auth/patient/enrol', required: ['ssn', 'enrolmentCode', 'pin', 'password'] },
      {
        path: '/api/v1/account/password',
        token: tokens.patient,
        required: ['currentPassword', 'pin', 'newPassword'],
      },
      { path: '/api/v1/account/pin', token: tokens.patient, required: ['currentPin', 'password', 'newPin'] },
      { path: '/api/v1/account/recovery-code', token: tokens.patient, required: ['pin', 'password'] },
      { path: `/api/v1/patients/${patientId}/care-team`, token: tokens.registrar, required: ['doctorId'] },
      { path: `/api/v1/patients/${patientId}/grants`, token: tokens.patient, required: ['doctorId'] },
      { path: `/api/v1/patients/${patientId}/break-glass`, token: tokens.doctor, required: ['reason'] },
    ];
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 4xx, never 5xx, and changes nothing, for malformed bodies on every write route', async () => {
    const before = await counts();
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            malformedBody(route.required).map((body) => ({ body })),
            rawText.map((raw) => ({ raw })),
          ),
          async (input) => {
            const res = await call('POST', route.path, {
              ...input,
              ...(route.token ? { token: route.token } : {}),
            });
            expect(res.status, `${route.path} ${JSON.stringify(input)}`).toBeGreaterThanOrEqual(400);
            expect(res.status, `${route.path} ${JSON.stringify(input)}`).toBeLessThan(500);
            expect(res.body?.error?.code).toEqual(expect.any(String));
          },
        ),
        { numRuns: 40 },
      );
      expect(await counts(), route.path).toEqual(before);
    }
  });

  it('answers 4xx or 200, never 5xx, for random ids and queries on the read routes', async () => {
    const segment = fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent);
    await fc.assert(
      fc.asyncProperty(
        segment,
        fc.constantFrom(...(['registrar', 'doctor', 'patient'] as const)),
        async (id, who) => {
          for (const path of [`/api/v1/patients/${id}`, `/api/v1/patients/${id}/grants`]) {
            const res = await call('GET', path, { token: tokens[who] });
            expect(res.status, path).toBeGreaterThanOrEqual(400);
            expect(res.status, path).toBeLessThan(500);
          }
          const issue = await call('POST', `/api/v1/patients/${id}/enrolment-code`, { token: tokens[who] });
          expect(issue.status, id).toBeGreaterThanOrEqual(400);
          expect(issue.status, id).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
    const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'other'), fc.string({ maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await call('GET', `/api/v1/patients?${new URLSearchParams(q).toString()}`, {
          token: tokens.registrar,
        });
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});

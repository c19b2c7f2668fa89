import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveServer, type Caller } from '../identity/staff-http-client.js';
import type { TestServer } from '../support/server.js';
import { tokenFor } from '../support/people.js';

/**
 * Random malformed bodies to every second-factor route (issue 14): each answers 4xx (never 500),
 * with the error shape, and changes nothing (no factor, pending login, challenge or session).
 * Malformed by construction: not JSON, not an object, a required field missing, or a field of an
 * impossible type or length (so coercion cannot make a case valid).
 */
interface RouteSpec {
  readonly method: 'POST';
  readonly path: string;
  readonly fields: Readonly<Record<string, number>>;
  readonly signedIn: boolean;
}

const ROUTES: RouteSpec[] = [
  { method: 'POST', path: '/api/v1/auth/factors/totp/x/confirm', fields: { code: 6 }, signedIn: true },
  { method: 'POST', path: '/api/v1/auth/factors/passkey', fields: { response: 8 }, signedIn: true },
  {
    method: 'POST',
    path: '/api/v1/auth/second-factor/totp',
    fields: { pendingToken: 128, code: 6 },
    signedIn: false,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/second-factor/passkey/options',
    fields: { pendingToken: 128 },
    signedIn: false,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/second-factor/passkey',
    fields: { pendingToken: 128, response: 8 },
    signedIn: false,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/second-factor/enrol/totp',
    fields: { pendingToken: 128 },
    signedIn: false,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/second-factor/enrol/totp/confirm',
    fields: { pendingToken: 128, factorId: 64, code: 6 },
    signedIn: false,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/second-factor/enrol/passkey',
    fields: { pendingToken: 128, response: 8 },
    signedIn: false,
  },
];

const notJson = fc.string({ maxLength: 200 }).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});

const impossible = (maxLength: number) =>
  fc.oneof(
    fc.array(fc.jsonValue(), { minLength: 2, maxLength: 3 }),
    fc.constant('x'.repeat(maxLength + 1)),
    fc.integer(),
    fc.constant(null),
  );

function malformedBody(fields: Readonly<Record<string, number>>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  const full = fc.record(Object.fromEntries(names.map((n) => [n, fc.string({ maxLength: 30 })])));
  return fc.oneof(
    notJson,
    fc
      .oneof(fc.array(fc.jsonValue({ maxDepth: 2 })), fc.string(), fc.boolean())
      .map((v) => JSON.stringify(v)),
    fc.tuple(full, fc.constantFrom(...names)).map(([body, drop]) => {
      const b: Record<string, unknown> = { ...body };
      delete b[drop];
      return JSON.stringify(b);
    }),
    fc
      .constantFrom(...names)
      .chain((bad) => fc.tuple(full, fc.constant(bad), impossible(fields[bad]!)))
      .map(([body, bad, value]) => JSON.stringify({ ...body, [bad]: value })),
  );
}

describe('fuzzing the second-factor routes', () => {
  let server: TestServer;
  let call: Caller;
  let dispose: () => Promise<void>;
  let token: string;

  beforeAll(async () => {
    ({ server, call, dispose } = await liveServer('sqlite'));
    const doc = await server.app.identity.staffAccounts.createAsOperator({
      role: 'doctor',
      username: 'fuzz.factor',
      displayName: 'Fuzz Factor',
      password: 'violet-harbour-lantern-42',
      key: { generate: 'ed25519' },
    });
    token = await tokenFor(server.app, { userId: doc.user.id, role: 'doctor' });
  });
  afterAll(async () => {
    await dispose();
  });

  const snapshot = async () => {
    const db = server.app.store.db;
    const count = async (q: { execute(): Promise<unknown[]> }) => (await q.execute()).length;
    return {
      factors: await count(db.selectFrom('second_factors').select('id')),
      pending: await count(db.selectFrom('second_factor_pending').select('user_id')),
      challenges: await count(db.selectFrom('webauthn_challenges').select('challenge')),
      sessions: await count(db.selectFrom('sessions').select('user_id')),
      lockouts: await count(db.selectFrom('lockouts').select('account')),
    };
  };

  for (const route of ROUTES) {
    it(`${route.path}: malformed bodies answer 4xx and change nothing`, async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(malformedBody(route.fields), async (raw) => {
          const res = await call(route.method, route.path, { raw, ...(route.signedIn ? { token } : {}) });
          expect(res.status, `${route.path} ${raw}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${route.path} ${raw}`).toBeLessThan(500);
          expect(Object.keys(res.body ?? {})).toEqual(['error']);
        }),
        { numRuns: 40 },
      );
      expect(await snapshot()).toEqual(before);
    });
  }
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLogin, liveServer, type Caller } from './staff-http-client.js';
import { GOOD_PASSWORD } from '../support/people.js';
import { text } from '../support/json-answer.js';
import type { TestServer } from '../support/server.js';

/**
 * Random malformed bodies to every staff auth and admin route: each answers 4xx (never 500) and
 * changes nothing. "Malformed" is built by construction so that Fastify's default coercion
 * (numbers to strings) and removal of unknown properties cannot turn a case into a valid request:
 * a body that is not an object, one missing a required field, one with a field of an impossible
 * type or length, or text that is not JSON.
 */
interface RouteSpec {
  readonly name: string;
  readonly method: 'POST' | 'DELETE';
  readonly path: (id: string, keyId: string) => string;
  /** Required string fields and their maxLength; empty for routes without a body. */
  readonly fields: Readonly<Record<string, number>>;
  readonly asAdmin: boolean;
}

const ROUTES: RouteSpec[] = [
  {
    name: 'challenge',
    method: 'POST',
    path: () => '/api/v1/auth/staff/challenge',
    fields: { username: 64 },
    asAdmin: false,
  },
  {
    name: 'login',
    method: 'POST',
    path: () => '/api/v1/auth/staff/login',
    fields: { username: 64, password: 1024, challengeId: 64, signature: 1400 },
    asAdmin: false,
  },
  { name: 'logout', method: 'POST', path: () => '/api/v1/auth/logout', fields: {}, asAdmin: true },
  {
    name: 'create user',
    method: 'POST',
    path: () => '/api/v1/admin/users',
    fields: { role: 16, username: 64, displayName: 128, password: 1024 },
    asAdmin: true,
  },
  {
    name: 'disable',
    method: 'POST',
    path: (id) => `/api/v1/admin/users/${id}/disable`,
    fields: {},
    asAdmin: true,
  },
  {
    name: 'register key',
    method: 'POST',
    path: (id) => `/api/v1/admin/users/${id}/keys`,
    fields: { publicKeyPem: 16384 },
    asAdmin: true,
  },
  {
    name: 'revoke key',
    method: 'DELETE',
    path: (id, k) => `/api/v1/admin/users/${id}/keys/${k}`,
    fields: {},
    asAdmin: true,
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

/** A value no string field accepts even after coercion. */
const impossible = (maxLength: number) =>
  fc.oneof(
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
    fc.array(fc.jsonValue(), { minLength: 2, maxLength: 3 }),
    fc.constant('x'.repeat(maxLength + 1)),
  );

function malformedBody(fields: Readonly<Record<string, number>>): fc.Arbitrary<{ raw: string }> {
  const names = Object.keys(fields);
  const options: Array<fc.Arbitrary<string>> = [notJson];
  if (names.length > 0) {
    const full = fc.record(Object.fromEntries(names.map((n) => [n, fc.string({ maxLength: 30 })])));
    const extra = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    options.push(
      // Not an object at all.
      fc
        .oneof(
          fc.array(fc.jsonValue({ maxDepth: 2 })),
          fc.string(),
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
        )
        .map((v) => JSON.stringify(v)),
      // A required field missing.
      fc.tuple(full, extra, fc.constantFrom(...names)).map(([body, more, drop]) => {
        const b: Record<string, unknown> = { ...more, ...body };
        delete b[drop];
        return JSON.stringify(b);
      }),
      // A required field of an impossible type or length.
      fc
        .constantFrom(...names)
        .chain((bad) => fc.tuple(full, fc.constant(bad), impossible(fields[bad]!)))
        .map(([body, bad, value]) => JSON.stringify({ ...body, [bad]: value })),
    );
  }
  return fc.oneof(...options).map((raw) => ({ raw }));
}

describe('fuzzing the staff auth and admin routes', () => {
  let server: TestServer;
  let call: Caller;
  let dispose: () => Promise<void>;
  let adminToken: string;
  let target: { id: string; keyId: string };

  beforeAll(async () => {
    ({ server, call, dispose } = await liveServer('sqlite'));
    const admin = await server.app.identity.staffAccounts.createAsOperator({
      role: 'admin',
      username: 'fuzz.admin',
      displayName: 'Fuzz Admin',
      password: GOOD_PASSWORD,
      key: { generate: 'ed25519' },
    });
    adminToken = text(
      (
        await httpLogin(call, 'fuzz.admin', GOOD_PASSWORD, {
          algorithm: 'ed25519',
          privateKeyPem: admin.privateKeyPem!,
        })
      ).body.token,
    );
    const doc = await server.app.identity.staffAccounts.createAsOperator({
      role: 'doctor',
      username: 'fuzz.doctor',
      displayName: 'Fuzz Doctor',
      password: GOOD_PASSWORD,
      key: { generate: 'ed25519' },
    });
    target = { id: doc.user.id, keyId: doc.keyId };
  });
  afterAll(async () => {
    await dispose();
  });

  /** Everything a request could have changed, as counts. */
  const snapshot = async () => {
    const db = server.app.store.db;
    const count = async (q: { execute(): Promise<unknown[]> }) => (await q.execute()).length;
    return {
      users: await count(db.selectFrom('users').select('id')),
      activeUsers: await count(db.selectFrom('users').select('id').where('status', '=', 'active')),
      keys: await count(db.selectFrom('staff_keys').select('key_id')),
      activeKeys: await count(db.selectFrom('staff_keys').select('key_id').where('revoked_at', 'is', null)),
      openSessions: await count(db.selectFrom('sessions').select('user_id').where('revoked_at', 'is', null)),
      challenges: await count(db.selectFrom('login_challenges').select('id')),
      usedChallenges: await count(
        db.selectFrom('login_challenges').select('id').where('used_at', 'is not', null),
      ),
      lockouts: await count(db.selectFrom('lockouts').select('account')),
    };
  };

  for (const route of ROUTES) {
    it(`${route.method} ${route.name}: malformed bodies answer 4xx and change nothing`, async () => {
      const before = await snapshot();
      const ids = fc.oneof(
        fc.constant({ id: target.id, keyId: target.keyId }),
        fc.record({
          id: fc.string({ minLength: 1, maxLength: 80 }),
          keyId: fc.string({ minLength: 1, maxLength: 80 }),
        }),
      );
      await fc.assert(
        fc.asyncProperty(malformedBody(route.fields), ids, async ({ raw }, { id, keyId }) => {
          const path = route.path(encodeURIComponent(id), encodeURIComponent(keyId));
          const res = await call(route.method, path, {
            raw,
            ...(route.asAdmin ? { token: adminToken } : {}),
          });
          expect(res.status, `${path} ${raw}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${path} ${raw}`).toBeLessThan(500);
          expect(Object.keys(res.body ?? {})).toEqual(['error']);
        }),
        { numRuns: 60 },
      );
      expect(await snapshot()).toEqual(before);
      // The admin is still logged in (logout with a malformed body did not run).
      expect((await call('GET', '/api/v1/auth/me', { token: adminToken })).status).toBe(200);
    });
  }
});

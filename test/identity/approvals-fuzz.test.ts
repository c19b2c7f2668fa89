import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { insertStaff, tokenFor } from '../support/people.js';
import { liveServer, type Caller } from './staff-http-client.js';

/**
 * Random malformed bodies to the routes of the two-person rule and staff enrolment (issue 14):
 * creating a staff account, enrolling with an invite code, adding one's own key, asking for a
 * budget raise or an MFA policy change, and deciding a request, re-enrolling a patient or
 * dismissing a notice by a malformed id. Each answers 4xx (never 500), with the
 * error shape, and changes nothing (no account, invite, key, request, raise or session).
 * Malformed by construction: not JSON, not an object, a required field missing, or a field of an
 * impossible type or length (so coercion cannot make a case valid).
 */
interface RouteSpec {
  readonly path: string;
  /** Each field, with values it can never validly take. */
  readonly fields: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  readonly as: 'admin' | 'doctor' | 'nobody';
}

const tooLong = (maxLength: number) => fc.constant('x'.repeat(maxLength + 1));
const notAString = fc.oneof(
  fc.array(fc.jsonValue(), { minLength: 2, maxLength: 3 }),
  fc.integer(),
  fc.constant(null),
);
const badText = (maxLength: number) => fc.oneof(notAString, tooLong(maxLength));

const ROUTES: RouteSpec[] = [
  {
    path: '/api/v1/admin/users',
    fields: {
      role: fc.oneof(notAString, fc.constantFrom('patient', 'root', '')),
      username: badText(64),
      displayName: badText(200),
    },
    as: 'admin',
  },
  {
    path: '/api/v1/auth/staff/enrol',
    fields: { inviteCode: badText(64), password: badText(1024), publicKeyPem: badText(20_000) },
    as: 'nobody',
  },
  {
    path: '/api/v1/me/keys',
    fields: {
      publicKeyPem: badText(20_000),
      signedBy: badText(64),
      signature: badText(2048),
      revokeSigner: fc.oneof(
        fc.array(fc.integer(), { minLength: 2, maxLength: 3 }),
        fc.constant('maybe'),
        fc.constant(7),
      ),
    },
    as: 'doctor',
  },
  {
    path: '/api/v1/approvals/mfa-policy',
    fields: {
      role: fc.oneof(notAString, fc.constantFrom('root', '', 'ADMIN')),
      policy: fc.oneof(notAString, fc.constantFrom('always', '', 'Required')),
    },
    as: 'admin',
  },
  {
    path: '/api/v1/approvals/budget-raise',
    fields: {
      epsilon: fc.oneof(
        fc.constantFrom(0, -1, 101, 1e9, 'lots', null),
        fc.array(fc.integer(), { minLength: 2, maxLength: 3 }),
      ),
    },
    as: 'admin',
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

function malformedBody(fields: RouteSpec['fields']): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  const full = fc.record(Object.fromEntries(names.map((n) => [n, fc.string({ maxLength: 30 })])));
  const cases: Array<fc.Arbitrary<string>> = [
    notJson,
    fc
      .oneof(fc.array(fc.jsonValue({ maxDepth: 2 })), fc.string(), fc.boolean())
      .map((v) => JSON.stringify(v)),
    fc
      .constantFrom(...names)
      .chain((bad) => fc.tuple(full, fc.constant(bad), fields[bad]!))
      .map(([body, bad, value]) => JSON.stringify({ ...body, [bad]: value })),
  ];
  // A required field missing (only meaningful with more than one field: the rest stay strings).
  if (names.length > 1)
    cases.push(
      fc.tuple(full, fc.constantFrom(...names.filter((n) => n !== 'revokeSigner'))).map(([body, drop]) => {
        const b: Record<string, unknown> = { ...body };
        delete b[drop];
        return JSON.stringify(b);
      }),
    );
  return fc.oneof(...cases);
}

describe('fuzzing the approval and staff-enrolment routes', () => {
  let server: TestServer;
  let call: Caller;
  let dispose: () => Promise<void>;
  const tokens: Record<RouteSpec['as'] | 'registrar', string | undefined> = {
    admin: '',
    doctor: '',
    registrar: '',
    nobody: undefined,
  };

  beforeAll(async () => {
    ({ server, call, dispose } = await liveServer('sqlite'));
    tokens.admin = await tokenFor(server.app, await insertStaff(server.app.store.db, 'admin'));
    tokens.doctor = await tokenFor(server.app, await insertStaff(server.app.store.db, 'doctor'));
    tokens.registrar = await tokenFor(server.app, await insertStaff(server.app.store.db, 'registrar'));
  });
  afterAll(async () => {
    await dispose();
  });

  const snapshot = async () => {
    const db = server.app.store.db;
    const count = async (q: { execute(): Promise<unknown[]> }) => (await q.execute()).length;
    return {
      users: await count(db.selectFrom('users').select('id')),
      keys: await count(db.selectFrom('staff_keys').select('key_id')),
      invites: await count(db.selectFrom('staff_invites').select('id')),
      approvals: await count(db.selectFrom('approval_requests').select('id')),
      raises: await count(db.selectFrom('analytics_budget_raises').select('id')),
      sessions: await count(db.selectFrom('sessions').select('user_id')),
      notices: await count(db.selectFrom('account_notices').select('id').where('dismissed_at', 'is', null)),
      policy: await count(db.selectFrom('second_factor_policy').select('role')),
    };
  };

  for (const route of ROUTES) {
    it(`${route.path}: malformed bodies answer 4xx and change nothing`, async () => {
      const before = await snapshot();
      const token = tokens[route.as];
      await fc.assert(
        fc.asyncProperty(malformedBody(route.fields), async (raw) => {
          const res = await call('POST', route.path, { raw, ...(token === undefined ? {} : { token }) });
          expect(res.status, `${route.path} ${raw}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${route.path} ${raw}`).toBeLessThan(500);
          expect(Object.keys(res.body ?? {})).toEqual(['error']);
        }),
        { numRuns: 40 },
      );
      expect(await snapshot()).toEqual(before);
    });
  }

  it('re-enrolling a patient, reading its state or dismissing a notice by a malformed or unknown id answers 4xx and changes nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.uuid()),
        fc.constantFrom(
          ['POST', 'registrar', (id: string) => `/api/v1/patients/${id}/reenrol`] as const,
          ['GET', 'registrar', (id: string) => `/api/v1/patients/${id}/reenrol`] as const,
          ['POST', 'doctor', (id: string) => `/api/v1/me/notices/${id}/dismiss`] as const,
        ),
        async (id, [method, as, path]) => {
          const url = path(encodeURIComponent(id));
          const res = await call(method, url, { token: tokens[as] });
          expect(res.status, url).toBeGreaterThanOrEqual(400);
          expect(res.status, url).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('deciding a request by a malformed or unknown id answers 4xx and changes nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.uuid()),
        fc.constantFrom('approve', 'refuse'),
        async (id, decision) => {
          const path = `/api/v1/approvals/${encodeURIComponent(id)}/${decision}`;
          const res = await call('POST', path, { token: tokens.admin });
          expect(res.status, path).toBeGreaterThanOrEqual(400);
          expect(res.status, path).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
    expect(await snapshot()).toEqual(before);
  });
});

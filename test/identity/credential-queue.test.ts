import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ARGON2_PARAMS } from '../../src/crypto/password-hash.js';
import { jsonCaller, type Answer } from '../support/http.js';
import { insertStaff, randomSsn, registration, registerEnrolled } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { text } from '../support/json-answer.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Issue 15, finding 3, from the attacker's side: a flood of logins cannot queue unbounded argon2id
 * work. With one hash at a time and room for one more (compose options: a slow hash and a tiny
 * pool, not the production defaults), a login in flight fills the pool, and every other
 * credential request is answered 503 `credential_queue_full` with Retry-After at once — and is
 * nothing else: no lockout step, no ledger entry, no session.
 */
describe('a full credential hashing queue', () => {
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  const patient = registration();

  beforeAll(async () => {
    server = await startTestServer({
      compose: {
        // Three passes over 46 MiB: each hash takes long enough for the test to act meanwhile.
        argon2: { ...DEFAULT_ARGON2_PARAMS, timeCost: 3 },
        limits: { hashPool: { concurrency: 1, queue: 1 } },
      },
    });
    call = jsonCaller(server.url);
    const registrar = await insertStaff(server.app.store.db, 'registrar');
    await registerEnrolled(server.app, scopeOf(registrar), patient);
  });
  afterAll(async () => {
    await server.close();
  });

  const db = () => server.app.store.db;
  const count = async (table: 'lockouts' | 'sessions'): Promise<number> =>
    (await db().selectFrom(table).select(db().fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const ledgerActions = async (): Promise<string[]> =>
    (await db().selectFrom('ledger_entries').select('action').orderBy('seq').execute()).map((r) => r.action);

  const expectBusy = (answer: Answer): void => {
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: { code: 'credential_queue_full', message: expect.any(String) } });
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
  };

  it('answers 503 with Retry-After at once, counting, ledgering and opening nothing', async () => {
    const lockoutsBefore = await count('lockouts');
    const sessionsBefore = await count('sessions');
    const ledgerBefore = await ledgerActions();

    // The attacker's login for an unknown SSN: both of its hashes are admitted, the pool is full.
    const flood = call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: randomSsn(), pin: '000000', password: 'not-a-password-at-all' },
    });
    while (server.app.identity.hashPool.stats().admitted < 2) await new Promise((r) => setTimeout(r, 5));

    const started = performance.now();
    // The real patient's wrong PIN, right credentials, a recovery, a reset and a staff login.
    const wrongPin = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: patient.ssn, pin: '111111', password: patient.password },
    });
    const right = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: patient.ssn, pin: patient.pin, password: patient.password },
    });
    const recovery = await call('POST', '/api/v1/auth/pin-recovery', {
      body: {
        ssn: patient.ssn,
        password: patient.password,
        dateOfBirth: patient.dateOfBirth,
        recoveryCode: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA',
        newPin: '654321',
      },
    });
    const reset = await call('POST', '/api/v1/auth/pin-reset', {
      body: { ssn: patient.ssn, password: patient.password, resetToken: 'x'.repeat(43), newPin: '654321' },
    });
    const challenge = await call('POST', '/api/v1/auth/staff/challenge', { body: { username: 'grey' } });
    const staff = await call('POST', '/api/v1/auth/staff/login', {
      body: {
        username: 'grey',
        password: 'violet-harbour-lantern-42',
        challengeId: text(challenge.body.challengeId),
        signature: 'AAAA',
      },
    });
    const answeredIn = performance.now() - started;
    // Still in flight: every refusal came while the pool was full, without waiting for it.
    expect(server.app.identity.hashPool.stats().admitted).toBe(2);
    for (const answer of [wrongPin, right, recovery, reset, staff]) expectBusy(answer);
    expect(answeredIn).toBeLessThan(1000);

    expect((await flood).status).toBe(401);
    // Only the attacker's attempt counted and was ledgered; the refused ones left no trace.
    expect(await count('lockouts')).toBe(lockoutsBefore + 1);
    expect(await count('sessions')).toBe(sessionsBefore);
    expect((await ledgerActions()).slice(ledgerBefore.length)).toEqual(['login.failure']);

    // Once the pool drains, the patient logs in.
    const after = await call('POST', '/api/v1/auth/patient/login', {
      body: { ssn: patient.ssn, pin: patient.pin, password: patient.password },
    });
    expect(after.status).toBe(200);
    expect(await count('sessions')).toBe(sessionsBefore + 1);
  });
});

import { describe, expect, it } from 'vitest';
import { useStaffServer } from './staff-http-client.js';
import { GOOD_PASSWORD, sign } from '../support/people.js';
import { text } from '../support/json-answer.js';
import { DIALECTS } from '../support/stores.js';

const LOGIN_FAILED = { error: { code: 'login_failed', message: 'Login failed.' } };

describe.each(DIALECTS)('staff login and sessions over HTTP (%s)', (dialect) => {
  const h = useStaffServer(dialect);

  for (const keyType of ['ed25519', 'rsa'] as const) {
    it(`logs in with an ${keyType} key: {token, user}, an HttpOnly SameSite=Strict cookie, and /auth/me`, async () => {
      const s = await h.newStaff('doctor', keyType);
      const res = await h.loginAs(s);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        user: { id: s.id, role: 'doctor', username: s.username, displayName: `Test ${s.username}` },
      });
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^medvault_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).not.toMatch(/Secure/); // no TLS in this test server
      const me = await h.call('GET', '/api/v1/auth/me', { token: text(res.body.token) });
      expect(me).toMatchObject({ status: 200, body: res.body.user });
    });
  }

  it('answers every failed login with the same 401 body', async () => {
    const s = await h.newStaff();
    const other = await h.newStaff();
    const challenge = async (username: string) =>
      (await h.call('POST', '/api/v1/auth/staff/challenge', { body: { username } })).body;
    const loginWith = (body: Record<string, unknown>) => h.call('POST', '/api/v1/auth/staff/login', { body });
    const answers = [];

    // A replayed challenge (its first use succeeded).
    const c1 = await challenge(s.username);
    const first = {
      username: s.username,
      password: GOOD_PASSWORD,
      challengeId: c1.challengeId,
      signature: sign(s.key.algorithm, s.key.privateKeyPem, c1.challenge),
    };
    expect((await loginWith(first)).status).toBe(200);
    answers.push(await loginWith(first));

    // An expired challenge.
    const c2 = await challenge(s.username);
    await h.server.app.store.db
      .updateTable('login_challenges')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', text(c2.challengeId))
      .execute();
    answers.push(
      await loginWith({
        ...first,
        challengeId: c2.challengeId,
        signature: sign(s.key.algorithm, s.key.privateKeyPem, c2.challenge),
      }),
    );

    // A challenge issued to another user.
    const c3 = await challenge(other.username);
    answers.push(
      await loginWith({
        ...first,
        challengeId: c3.challengeId,
        signature: sign(s.key.algorithm, s.key.privateKeyPem, c3.challenge),
      }),
    );

    // A valid signature with a wrong password.
    answers.push(await h.loginAs(s, 'a-wrong-password-here'));

    // An unknown username (its challenge looks like any other).
    const c4 = await challenge('nobody.here');
    expect(Object.keys(c4).sort()).toEqual(['challenge', 'challengeId', 'expiresAt']);
    answers.push(
      await loginWith({
        ...first,
        username: 'nobody.here',
        challengeId: c4.challengeId,
        signature: sign(s.key.algorithm, s.key.privateKeyPem, c4.challenge),
      }),
    );

    // A signature by a revoked key.
    expect(
      (await h.call('DELETE', `/api/v1/admin/users/${s.id}/keys/${s.key.keyId}`, { token: h.adminToken }))
        .status,
    ).toBe(204);
    answers.push(await h.loginAs(s));

    for (const a of answers)
      expect({ status: a.status, body: a.body }).toEqual({ status: 401, body: LOGIN_FAILED });
  });

  it('locks an account after 5 failures: a sixth, correct attempt gets 429 with Retry-After until the backoff passes', async () => {
    const s = await h.newStaff();
    for (let i = 0; i < 5; i++) expect((await h.loginAs(s, `wrong-password-${i}`)).status).toBe(401);
    const locked = await h.loginAs(s);
    expect(locked.status).toBe(429);
    expect(locked.body.error?.code).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await h.ledger('account.locked', s.id)).toHaveLength(1);
    const failures = await h.ledger('login.failure', s.id);
    expect(failures.map((e) => e.outcome).sort()).toEqual(['denied', ...Array(5).fill('failure')]);
    expect(JSON.stringify(failures)).not.toContain('wrong-password');
    // The backoff passes (moved in the database rather than waiting a minute).
    await h.server.app.store.db
      .updateTable('lockouts')
      .set({ locked_until: Date.now() - 1 })
      .where('account', '=', s.id)
      .execute();
    expect((await h.loginAs(s)).status).toBe(200);
    expect(await h.ledger('login.success', s.id)).toHaveLength(1);
  });

  it('logout revokes the session at once and clears the cookie', async () => {
    const s = await h.newStaff('pharmacist');
    const token = text((await h.loginAs(s)).body.token);
    const out = await h.call('POST', '/api/v1/auth/logout', { token });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^medvault_session=;.*Expires=Thu, 01 Jan 1970/);
    const me = await h.call('GET', '/api/v1/auth/me', { token });
    expect(me).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await h.ledger('logout', s.id)).toMatchObject([{ actor: { userId: s.id, role: 'pharmacist' } }]);
    // Logging out again (or with no session at all) is harmless.
    expect((await h.call('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
    expect((await h.call('POST', '/api/v1/auth/logout')).status).toBe(204);
  });

  it('disabling an account revokes its sessions at once', async () => {
    const s = await h.newStaff('registrar');
    const token = text((await h.loginAs(s)).body.token);
    expect((await h.call('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    const res = await h.call('POST', `/api/v1/admin/users/${s.id}/disable`, { token: h.adminToken });
    expect(res).toMatchObject({ status: 200, body: { id: s.id, status: 'disabled' } });
    expect((await h.call('GET', '/api/v1/auth/me', { token })).status).toBe(401);
    expect((await h.loginAs(s)).body).toEqual(LOGIN_FAILED);
    const [disabled] = await h.ledger('user.disable', s.id);
    expect(disabled).toMatchObject({ outcome: 'success', details: { sessionsRevoked: 1 } });
    expect((await h.ledger('user.create', s.id))[0]?.actor?.role).toBe('admin');
    // The key was registered by its holder, enrolling with the invite code (issue 14).
    expect(await h.ledger('user.enrol', s.id)).toMatchObject([
      { actor: { userId: s.id, role: 'registrar' }, details: { keyId: s.key.keyId } },
    ]);
  });

  it('accepts the session cookie, and refuses a cookie-authenticated write without the CSRF header', async () => {
    const s = await h.newStaff();
    const login = await h.loginAs(s);
    const cookie = `medvault_session=${login.body.token}`;
    expect((await h.call('GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
    const forged = await h.call('POST', '/api/v1/auth/logout', { cookie });
    expect(forged).toMatchObject({ status: 403, body: { error: { code: 'csrf' } } });
    expect((await h.call('GET', '/api/v1/auth/me', { cookie })).status).toBe(200); // still logged in
    expect((await h.call('POST', '/api/v1/auth/logout', { cookie, csrf: true })).status).toBe(204);
    expect((await h.call('GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
  });

  it('answers /auth/me for a patient session (no display name), and 401 when not logged in', async () => {
    await h.server.app.store.db
      .insertInto('users')
      .values({
        id: 'patient-http-1',
        role: 'patient',
        username: null,
        display_name: null,
        status: 'active',
        password_hash: null,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    const { token } = await h.server.app.identity.sessions.create(h.server.app.store.db, {
      userId: 'patient-http-1',
      role: 'patient',
    });
    expect((await h.call('GET', '/api/v1/auth/me', { token })).body).toEqual({
      id: 'patient-http-1',
      role: 'patient',
      username: null,
      displayName: null,
    });
    expect((await h.call('GET', '/api/v1/auth/me')).status).toBe(401);
  });
});

import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { useStaffServer } from './staff-http-client.js';
import { GOOD_PASSWORD } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { items, text } from '../support/json-answer.js';

describe.each(DIALECTS)('staff administration over HTTP (%s)', (dialect) => {
  const h = useStaffServer(dialect);

  describe('admin routes', () => {
    const routes = (id: string, keyId: string) =>
      [
        ['POST', '/api/v1/admin/users', { role: 'doctor', username: 'x.y.z', displayName: 'X' }],
        ['GET', '/api/v1/admin/users', undefined],
        ['POST', `/api/v1/admin/users/${id}/disable`, undefined],
        ['POST', `/api/v1/admin/users/${id}/reenrol`, undefined],
        ['DELETE', `/api/v1/admin/users/${id}/keys/${keyId}`, undefined],
        // GET /api/v1/approvals is not here: registrars list the patient re-enrolments they decide
        // (the authorization matrix holds every role's answer to it).
        ['POST', '/api/v1/approvals/mfa-policy', { role: 'patient', policy: 'required' }],
      ] as const;

    it('answers 401 to anonymous callers and 403 to every non-admin role', async () => {
      const target = await h.newStaff();
      for (const [method, path, body] of routes(target.id, target.key.keyId)) {
        expect((await h.call(method, path, { body })).status, `${method} ${path}`).toBe(401);
      }
      for (const role of ['registrar', 'doctor', 'pharmacist']) {
        const s = await h.newStaff(role);
        const token = text((await h.loginAs(s)).body.token);
        for (const [method, path, body] of routes(target.id, target.key.keyId)) {
          const res = await h.call(method, path, { body, token });
          expect(res.status, `${role} ${method} ${path}`).toBe(403);
        }
      }
      const keys = await h.server.app.store.db
        .selectFrom('staff_keys')
        .select('revoked_at')
        .where('user_id', '=', target.id)
        .execute();
      expect(keys).toEqual([{ revoked_at: null }]);
    });

    it('lists and revokes keys, and answers 409 and 404 where due', async () => {
      const s = await h.newStaff();
      // Revoked, the key no longer logs in.
      expect(
        (await h.call('DELETE', `/api/v1/admin/users/${s.id}/keys/${s.key.keyId}`, { token: h.adminToken }))
          .status,
      ).toBe(204);
      expect((await h.loginAs(s)).status).toBe(401);
      expect(await h.ledger('key.revoke', s.key.keyId)).toHaveLength(1);
      const list = await h.call('GET', '/api/v1/admin/users', { token: h.adminToken });
      const listed = items(list.body.users).find((u) => text(u.id) === s.id);
      expect(items(listed?.keys).map((k) => k.revokedAt === null)).toEqual([false]);
      expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/i);
      const dup = await h.call('POST', '/api/v1/admin/users', {
        token: h.adminToken,
        body: { role: 'doctor', username: s.username, displayName: 'Dup' },
      });
      expect(dup).toMatchObject({ status: 409, body: { error: { code: 'username_taken' } } });
      // The old powers are gone: no password, no key, no generated key in a create.
      for (const extra of [
        { password: GOOD_PASSWORD },
        { generateKey: 'ed25519' },
        { publicKeyPem: generateSigningKeyPair('ed25519').publicKeyPem },
      ]) {
        const res = await h.call('POST', '/api/v1/admin/users', {
          token: h.adminToken,
          body: { role: 'doctor', username: 'old.powers', displayName: 'O', ...extra },
        });
        expect(res.status).toBe(400);
      }
      expect(
        (
          await h.call('POST', `/api/v1/admin/users/${s.id}/keys`, {
            token: h.adminToken,
            body: { publicKeyPem: generateSigningKeyPair('ed25519').publicKeyPem },
          })
        ).status,
      ).toBe(404);
      expect(
        (await h.call('POST', '/api/v1/admin/users/nobody/disable', { token: h.adminToken })).status,
      ).toBe(404);
      expect(
        (await h.call('DELETE', `/api/v1/admin/users/${s.id}/keys/nokey`, { token: h.adminToken })).status,
      ).toBe(404);
    });
  });

  it('documents the routes in OpenAPI with tags and error responses', async () => {
    const doc = (await h.call('GET', '/api/openapi.json')).body;
    const expected: Array<[string, string, string]> = [
      ['/api/v1/auth/staff/challenge', 'post', 'auth'],
      ['/api/v1/auth/staff/login', 'post', 'auth'],
      ['/api/v1/auth/logout', 'post', 'auth'],
      ['/api/v1/auth/me', 'get', 'auth'],
      ['/api/v1/admin/users', 'post', 'admin'],
      ['/api/v1/admin/users', 'get', 'admin'],
      ['/api/v1/admin/users/{id}/disable', 'post', 'admin'],
      ['/api/v1/admin/users/{id}/reenrol', 'post', 'admin'],
      ['/api/v1/approvals', 'get', 'approvals'],
      ['/api/v1/approvals/{id}/approve', 'post', 'approvals'],
      ['/api/v1/auth/staff/enrol', 'post', 'auth'],
      ['/api/v1/me/keys', 'post', 'auth'],
      ['/api/v1/admin/users/{id}/keys/{keyId}', 'delete', 'admin'],
    ];
    for (const [path, method, tag] of expected) {
      const op = doc.paths?.[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op?.tags).toContain(tag);
      expect(Object.keys(op?.responses ?? {}).some((s) => s.startsWith('4'))).toBe(true);
    }
  });
});

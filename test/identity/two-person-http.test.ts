import { describe, expect, it } from 'vitest';
import { ownKeyBody } from '../../src/cli/staff-enrol.js';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { GOOD_PASSWORD } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { items, text } from '../support/json-answer.js';
import { httpLogin, useStaffServer } from './staff-http-client.js';

const OTHER_PASSWORD = 'copper-meadow-violin-73';
const code = (res: { body: { error?: { code?: unknown } } }): unknown => res.body.error?.code;

/**
 * Issue 14 from the attacker's side: a lone admin, using every route an admin has, cannot obtain a
 * usable doctor account, add a key to another account or learn a password; the two-person rule
 * refuses the requester, a second decision, an expired request and the wrong role; invite codes
 * are single use, expiring and unguessable.
 */
describe.each(DIALECTS)('two-person rule and staff enrolment over HTTP (%s)', (dialect) => {
  const h = useStaffServer(dialect);
  const admin = (path: string, method = 'POST', body?: unknown) =>
    h.call(method, path, { token: h.adminToken, ...(body === undefined ? {} : { body }) });

  it('a lone admin cannot obtain a usable doctor account, add a key to one, or learn a password', async () => {
    const doctor = await h.newStaff('doctor');
    const beforeKeys = await h.server.app.store.db
      .selectFrom('staff_keys')
      .select(['key_id', 'revoked_at'])
      .where('user_id', '=', doctor.id)
      .execute();

    // 1. Mint a doctor and enrol it with the invite code the admin was shown: still pending.
    const made = await admin('/api/v1/admin/users', 'POST', {
      role: 'doctor',
      username: 'dr.sock',
      displayName: 'Dr Sock Puppet',
    });
    expect(made.status).toBe(201);
    const pair = generateSigningKeyPair('ed25519');
    const enrolled = await h.call('POST', '/api/v1/auth/staff/enrol', {
      body: {
        inviteCode: text(made.body.invite?.code),
        password: GOOD_PASSWORD,
        publicKeyPem: pair.publicKeyPem,
      },
    });
    expect(enrolled).toMatchObject({ status: 201, body: { active: false } });
    expect(
      (await httpLogin(h.call, 'dr.sock', GOOD_PASSWORD, { algorithm: 'ed25519', ...pair })).status,
    ).toBe(401);
    // Approving their own request: refused, as often as they try.
    for (let i = 0; i < 2; i++) {
      const own = await admin(`/api/v1/approvals/${text(made.body.approvalId)}/approve`);
      expect(own.status).toBe(403);
      expect(code(own)).toBe('approval_own_request');
    }
    expect(await h.ledger('approval.approve', text(made.body.approvalId))).toHaveLength(2); // denied, ledgered

    // 2. Re-enrol the real doctor to get a fresh invite: only a request; approving it is refused.
    const reenrol = await admin(`/api/v1/admin/users/${doctor.id}/reenrol`);
    expect(reenrol.status).toBe(201);
    const again = await admin(`/api/v1/admin/users/${doctor.id}/reenrol`);
    expect(code(again)).toBe('approval_pending');
    const ownReenrol = await admin(`/api/v1/approvals/${text(reenrol.body.approvalId)}/approve`);
    expect(code(ownReenrol)).toBe('approval_own_request');
    expect(ownReenrol.body).not.toHaveProperty('invite');

    // 3. Register a key on the doctor's account: no such route; the own-key route touches only the admin.
    const foreign = generateSigningKeyPair('ed25519');
    expect(
      (await admin(`/api/v1/admin/users/${doctor.id}/keys`, 'POST', { publicKeyPem: foreign.publicKeyPem }))
        .status,
    ).toBe(404);
    const ownKey = await admin('/api/v1/me/keys', 'POST', {
      publicKeyPem: foreign.publicKeyPem,
      signedBy: doctor.key.keyId,
      signature: 'AAAA',
    });
    expect(code(ownKey)).toBe('key_proof_invalid');

    // 4. Nothing an admin reads holds a password or a verifier.
    const everything = [
      await admin('/api/v1/admin/users', 'GET'),
      await admin('/api/v1/approvals', 'GET'),
      await admin('/api/v1/audit/entries?limit=200', 'GET'),
    ];
    for (const res of everything) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|mv1\$|PRIVATE KEY/);
      expect(JSON.stringify(res.body)).not.toContain(GOOD_PASSWORD);
    }

    // The doctor's account is as it was: same keys, and the doctor still logs in.
    const afterKeys = await h.server.app.store.db
      .selectFrom('staff_keys')
      .select(['key_id', 'revoked_at'])
      .where('user_id', '=', doctor.id)
      .execute();
    expect(afterKeys).toEqual(beforeKeys);
    expect((await h.loginAs(doctor)).status).toBe(200);
  });

  it('a second admin decides once; a second decision, an expired request and the wrong role are refused', async () => {
    const made = await admin('/api/v1/admin/users', 'POST', {
      role: 'pharmacist',
      username: 'ph.two',
      displayName: 'P',
    });
    const id = text(made.body.approvalId);
    const pending = await h.call('GET', '/api/v1/approvals', { token: h.secondAdminToken });
    expect(items(pending.body.approvals).map((a) => text(a.id))).toContain(id);
    const doctor = await h.newStaff('doctor');
    const doctorToken = text((await h.loginAs(doctor)).body.token);
    expect((await h.call('POST', `/api/v1/approvals/${id}/approve`, { token: doctorToken })).status).toBe(
      403,
    );
    const ok = await h.call('POST', `/api/v1/approvals/${id}/approve`, { token: h.secondAdminToken });
    expect(ok).toMatchObject({
      status: 200,
      body: { approval: { status: 'approved', kind: 'staff.activate' } },
    });
    const twice = await h.call('POST', `/api/v1/approvals/${id}/approve`, { token: h.secondAdminToken });
    expect(twice.status).toBe(409);
    expect(code(twice)).toBe('approval_decided');
    expect(code(await h.call('POST', `/api/v1/approvals/${id}/refuse`, { token: h.secondAdminToken }))).toBe(
      'approval_decided',
    );
    // Expired: the clock of the request passed.
    const late = await admin('/api/v1/admin/users', 'POST', {
      role: 'doctor',
      username: 'dr.late',
      displayName: 'L',
    });
    await h.server.app.store.db
      .updateTable('approval_requests')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', text(late.body.approvalId))
      .execute();
    const expired = await h.call('POST', `/api/v1/approvals/${text(late.body.approvalId)}/approve`, {
      token: h.secondAdminToken,
    });
    expect(code(expired)).toBe('approval_expired');
    expect(
      (await h.call('POST', '/api/v1/approvals/nope/approve', { token: h.secondAdminToken })).status,
    ).toBe(404);
    // Refused: the account stays pending.
    const refused = await admin('/api/v1/admin/users', 'POST', {
      role: 'doctor',
      username: 'dr.no',
      displayName: 'N',
    });
    const no = await h.call('POST', `/api/v1/approvals/${text(refused.body.approvalId)}/refuse`, {
      token: h.secondAdminToken,
    });
    expect(no).toMatchObject({ status: 200, body: { approval: { status: 'refused' } } });
    const users = items((await admin('/api/v1/admin/users', 'GET')).body.users);
    expect(users.find((u) => text(u.username) === 'dr.no')?.status).toBe('pending');
    expect(users.find((u) => text(u.username) === 'ph.two')?.status).toBe('active');
  });

  it('invite codes: wrong, reused and expired are refused; re-enrolment revokes keys and sessions', async () => {
    const made = await admin('/api/v1/admin/users', 'POST', {
      role: 'doctor',
      username: 'dr.inv',
      displayName: 'I',
    });
    const inviteCode = text(made.body.invite?.code);
    const enrol = (c: string, password = GOOD_PASSWORD) =>
      h.call('POST', '/api/v1/auth/staff/enrol', {
        body: { inviteCode: c, password, publicKeyPem: generateSigningKeyPair('ed25519').publicKeyPem },
      });
    expect(code(await enrol('00000-00000-00000-00000-00000'))).toBe('invite_invalid');
    expect((await enrol('not a code at all')).status).toBe(400); // malformed: the schema refuses it
    expect(code(await enrol(inviteCode, 'password1234'))).toBe('weak_password');
    // Lower case and without dashes is the same code.
    expect((await enrol(inviteCode.toLowerCase().replace(/-/g, ''))).status).toBe(201);
    expect(code(await enrol(inviteCode))).toBe('invite_used');
    const other = await admin('/api/v1/admin/users', 'POST', {
      role: 'doctor',
      username: 'dr.exp',
      displayName: 'E',
    });
    await h.server.app.store.db
      .updateTable('staff_invites')
      .set({ expires_at: Date.now() - 1 })
      .where('user_id', '=', text(other.body.user?.id))
      .execute();
    expect(code(await enrol(text(other.body.invite?.code)))).toBe('invite_expired');

    // Re-enrolment: requested by one admin, approved by another, who is handed the new code.
    const doctor = await h.newStaff('doctor');
    const session = text((await h.loginAs(doctor)).body.token);
    const asked = await admin(`/api/v1/admin/users/${doctor.id}/reenrol`);
    const approved = await h.call('POST', `/api/v1/approvals/${text(asked.body.approvalId)}/approve`, {
      token: h.secondAdminToken,
    });
    expect(approved.status).toBe(200);
    expect(approved.headers.get('cache-control')).toBe('no-store');
    expect((await h.call('GET', '/api/v1/auth/me', { token: session })).status).toBe(401);
    expect((await h.loginAs(doctor)).status).toBe(401);
    const fresh = generateSigningKeyPair('rsa-pkcs1-sha256');
    const back = await h.call('POST', '/api/v1/auth/staff/enrol', {
      body: {
        inviteCode: text(approved.body.invite?.code),
        password: OTHER_PASSWORD,
        publicKeyPem: fresh.publicKeyPem,
      },
    });
    expect(back).toMatchObject({ status: 201, body: { active: true } });
    expect(
      (await httpLogin(h.call, doctor.username, OTHER_PASSWORD, { algorithm: 'rsa-pkcs1-sha256', ...fresh }))
        .status,
    ).toBe(200);
  });

  it('the holder adds and rotates their own key with a signature of a current one', async () => {
    const doctor = await h.newStaff('doctor');
    const token = text((await h.loginAs(doctor)).body.token);
    const next = generateSigningKeyPair('ed25519');
    const signer = { keyId: doctor.key.keyId, privateKeyPem: doctor.key.privateKeyPem };
    // A signature over another username, or by a stranger's key, does not vouch.
    const wrongName = ownKeyBody('someone.else', next.publicKeyPem, signer);
    expect(code(await h.call('POST', '/api/v1/me/keys', { token, body: wrongName }))).toBe(
      'key_proof_invalid',
    );
    const added = await h.call('POST', '/api/v1/me/keys', {
      token,
      body: ownKeyBody(doctor.username, next.publicKeyPem, signer, true),
    });
    expect(added.status).toBe(201);
    expect((await h.loginAs(doctor)).status).toBe(401); // the signer was rotated out
    expect(
      (await httpLogin(h.call, doctor.username, GOOD_PASSWORD, { algorithm: 'ed25519', ...next })).status,
    ).toBe(200);
    // The same key again, or a revoked signer: refused.
    const replay = await h.call('POST', '/api/v1/me/keys', {
      token,
      body: ownKeyBody(doctor.username, generateSigningKeyPair('ed25519').publicKeyPem, signer),
    });
    expect(code(replay)).toBe('key_proof_invalid');
    // Without a session: 401.
    expect((await h.call('POST', '/api/v1/me/keys', { body: wrongName })).status).toBe(401);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { AuditLedger } from '../../src/app/audit/ledger.js';
import { AppError } from '../../src/app/errors.js';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { enrolledStaff, staffWorld, type StaffWorld } from './staff-world.js';
import { GOOD_PASSWORD } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';

const rejects = async (p: Promise<unknown>, kind: string, code?: string): Promise<void> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).kind).toBe(kind);
  if (code !== undefined) expect((err as AppError).code).toBe(code);
};

describe.each(DIALECTS)('staff accounts (%s)', (dialect) => {
  let w: StaffWorld;
  beforeEach(async () => {
    w = await staffWorld(dialect);
  });
  afterEach(async () => {
    await w.dispose();
  });

  const newDoctor = (over: Record<string, unknown> = {}) => ({
    role: 'doctor',
    username: 'dr.house',
    displayName: 'Gregory House',
    ...over,
  });
  const operatorDoctor = (over: Record<string, unknown> = {}) => ({
    ...newDoctor(),
    password: GOOD_PASSWORD,
    key: { generate: 'ed25519' as const },
    ...over,
  });

  it('an admin creates a pending account with no password and no key, an invite code and a request', async () => {
    const made = await w.identity.staffAccounts.create(w.admin, newDoctor());
    expect(made.user).toMatchObject({
      role: 'doctor',
      username: 'dr.house',
      status: 'pending',
      enrolled: false,
    });
    expect(made.user.keys).toEqual([]);
    expect(made.invite.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
    expect(made.invite.expiresAt).toBe(w.clock.now + 3 * 24 * 3_600_000);
    const row = await w.t.store.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', made.user.id)
      .executeTakeFirst();
    expect(row?.password_hash).toBeNull();
    // The code is stored only as a keyed verifier, never as itself.
    const invites = await w.t.store.db.selectFrom('staff_invites').selectAll().execute();
    expect(invites).toHaveLength(1);
    expect(JSON.stringify(invites)).not.toContain(made.invite.code.replace(/-/g, ''));
    expect(invites[0]?.verifier).toMatch(/^mv1\$p\d+\$hmac-sha256\$/);
    const pending = await w.approvals.pending(w.admin2);
    expect(pending.map((a) => [a.id, a.kind, a.subjectId])).toEqual([
      [made.approvalId, 'staff.activate', made.user.id],
    ]);
    const admin = await w.identity.staffAccounts.create(
      w.admin,
      newDoctor({ username: 'new.admin', role: 'admin' }),
    );
    expect((await w.approvals.pending(w.admin2)).find((a) => a.id === admin.approvalId)?.kind).toBe(
      'admin.create',
    );
  });

  it('the operator creates an active account with a generated Ed25519 or RSA key, the private key once', async () => {
    const ed = await w.identity.staffAccounts.createAsOperator(operatorDoctor());
    expect(ed.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(ed.user).toMatchObject({ role: 'doctor', username: 'dr.house', status: 'active', enrolled: true });
    expect(ed.user.keys).toEqual([
      { keyId: ed.keyId, algorithm: 'ed25519', createdAt: w.clock.now, revokedAt: null },
    ]);
    const rsa = await w.identity.staffAccounts.createAsOperator(
      operatorDoctor({ username: 'rx.pharm', role: 'pharmacist', key: { generate: 'rsa' } }),
    );
    expect(rsa.user.keys[0]?.algorithm).toBe('rsa-pkcs1-sha256');
    // The private key is nowhere in the database.
    const rows = await w.t.store.db.selectFrom('staff_keys').selectAll().execute();
    for (const r of rows) expect(r.public_key_pem).not.toMatch(/PRIVATE/);
  });

  it('the operator may give an uploaded SPKI public key; no private key is answered', async () => {
    const pair = generateSigningKeyPair('rsa-pkcs1-sha256');
    const created = await w.identity.staffAccounts.createAsOperator(
      operatorDoctor({ key: { publicKeyPem: pair.publicKeyPem } }),
    );
    expect(created.privateKeyPem).toBeUndefined();
    expect(created.keyId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('refuses weak keys, private keys and garbage as 400 invalid_key', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const priv = generateSigningKeyPair('ed25519').privateKeyPem;
    for (const pem of [String(weak), priv, 'not a key']) {
      await rejects(
        w.identity.staffAccounts.createAsOperator(operatorDoctor({ key: { publicKeyPem: pem } })),
        'invalid_input',
        'invalid_key',
      );
    }
  });

  it('applies the password policy (operator) and username rules', async () => {
    await rejects(
      w.identity.staffAccounts.createAsOperator(operatorDoctor({ password: 'password1234' })),
      'invalid_input',
      'weak_password',
    );
    await rejects(
      w.identity.staffAccounts.createAsOperator(operatorDoctor({ password: 'dr.house.dr.house' })),
      'invalid_input',
    );
    for (const username of ['ab', 'Dr.House', 'dr house', 'x'.repeat(65), 'dr/house']) {
      await rejects(w.identity.staffAccounts.create(w.admin, newDoctor({ username })), 'invalid_input');
    }
    await rejects(w.identity.staffAccounts.create(w.admin, newDoctor({ role: 'patient' })), 'invalid_input');
    await rejects(
      w.identity.staffAccounts.create(w.admin, newDoctor({ displayName: '  ' })),
      'invalid_input',
    );
  });

  it('answers 409 for a taken username or an already registered key, and writes nothing', async () => {
    const first = await w.identity.staffAccounts.createAsOperator(
      operatorDoctor({ key: { publicKeyPem: generateSigningKeyPair('ed25519').publicKeyPem } }),
    );
    const before = (await w.identity.staffAccounts.list(w.admin)).length;
    await rejects(w.identity.staffAccounts.create(w.admin, newDoctor()), 'conflict', 'username_taken');
    const taken = (await w.identity.staffAccounts.list(w.admin)).find((u) => u.id === first.user.id)!
      .keys[0]!;
    const pem = (
      await w.t.store.db
        .selectFrom('staff_keys')
        .select('public_key_pem')
        .where('key_id', '=', taken.keyId)
        .executeTakeFirstOrThrow()
    ).public_key_pem;
    await rejects(
      w.identity.staffAccounts.createAsOperator(
        operatorDoctor({ username: 'other.doc', key: { publicKeyPem: pem } }),
      ),
      'conflict',
      'key_registered',
    );
    expect(await w.identity.staffAccounts.list(w.admin)).toHaveLength(before);
    expect(await w.approvals.pending(w.admin2)).toEqual([]);
  });

  it('lists staff oldest first without any credential verifier', async () => {
    w.clock.advance(1);
    await w.identity.staffAccounts.create(w.admin, newDoctor());
    const users = await w.identity.staffAccounts.list(w.admin);
    expect(users.map((u) => u.username)).toEqual(['root.admin', 'second.admin', 'dr.house']);
    expect(JSON.stringify(users)).not.toMatch(/argon2|mv1\$|password/i);
  });

  it('is admin-only: every other role gets 403', async () => {
    for (const role of ['registrar', 'doctor', 'pharmacist', 'patient'] as const) {
      const actor: Actor = { userId: 'someone', role };
      await rejects(w.identity.staffAccounts.create(w.as(actor), newDoctor()), 'forbidden');
      await rejects(w.identity.staffAccounts.list(w.as(actor)), 'forbidden');
      await rejects(w.identity.staffAccounts.disable(w.as(actor), w.admin.userId), 'forbidden');
      await rejects(w.identity.staffAccounts.requestReenrol(w.as(actor), w.admin.userId), 'forbidden');
      await rejects(w.identity.staffAccounts.revokeKey(w.as(actor), w.admin.userId, 'x'), 'forbidden');
    }
  });

  it('disabling revokes every session of the account at once, and its unused invite', async () => {
    const doc = await enrolledStaff(w, newDoctor());
    const actor: Actor = { userId: doc.id, role: 'doctor' };
    const s1 = await w.identity.sessions.create(w.t.store.db, actor);
    const s2 = await w.identity.sessions.create(w.t.store.db, actor);
    expect(await w.identity.sessions.resolve(w.t.store.db, s1.token)).toEqual(actor);
    const view = await w.identity.staffAccounts.disable(w.admin, doc.id);
    expect(view.status).toBe('disabled');
    expect(await w.identity.sessions.resolve(w.t.store.db, s1.token)).toBeNull();
    expect(await w.identity.sessions.resolve(w.t.store.db, s2.token)).toBeNull();
    const open = await w.t.store.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('revoked_at', 'is', null)
      .where('user_id', '=', doc.id)
      .execute();
    expect(open).toEqual([]);
    const pending = await w.identity.staffAccounts.create(w.admin, newDoctor({ username: 'dr.pending' }));
    await w.identity.staffAccounts.disable(w.admin, pending.user.id);
    await rejects(
      w.identity.staffInvites.enrol({
        inviteCode: pending.invite.code,
        password: GOOD_PASSWORD,
        publicKeyPem: generateSigningKeyPair('ed25519').publicKeyPem,
      }),
      'unauthenticated',
      'invite_invalid',
    );
  });

  it('refuses to disable yourself, and 404s unknown users and patients', async () => {
    await rejects(
      w.identity.staffAccounts.disable(w.admin, w.admin.userId),
      'conflict',
      'cannot_disable_self',
    );
    await rejects(w.identity.staffAccounts.disable(w.admin, 'nobody'), 'not_found');
    await w.t.store.db
      .insertInto('users')
      .values({
        id: 'p1',
        role: 'patient',
        username: null,
        display_name: null,
        status: 'active',
        password_hash: null,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    await rejects(w.identity.staffAccounts.disable(w.admin, 'p1'), 'not_found');
    await rejects(w.identity.staffAccounts.requestReenrol(w.admin, 'p1'), 'not_found');
  });

  it('revokes keys; a revoked key stays listed with its time', async () => {
    const doc = await enrolledStaff(w, newDoctor());
    w.clock.advance(1000);
    await w.identity.staffAccounts.revokeKey(w.admin, doc.id, doc.keyId);
    await w.identity.staffAccounts.revokeKey(w.admin, doc.id, doc.keyId); // idempotent
    const keys = (await w.identity.staffAccounts.list(w.admin)).find((u) => u.id === doc.id)?.keys;
    expect(keys?.find((k) => k.keyId === doc.keyId)?.revokedAt).toBe(w.clock.now);
    // Another user's key id under this user is 404, not a revocation.
    const other = await enrolledStaff(w, newDoctor({ username: 'dr.wilson' }));
    await rejects(w.identity.staffAccounts.revokeKey(w.admin, doc.id, other.keyId), 'not_found');
  });

  it('writes each change to the ledger inside its transaction, never a secret', async () => {
    const made = await w.identity.staffAccounts.create(w.admin, newDoctor());
    const pair = generateSigningKeyPair('ed25519');
    const enrolled = await w.identity.staffInvites.enrol({
      inviteCode: made.invite.code,
      password: GOOD_PASSWORD,
      publicKeyPem: pair.publicKeyPem,
    });
    await w.approvals.approve(w.admin2, made.approvalId);
    await w.identity.staffAccounts.revokeKey(w.admin, made.user.id, enrolled.keyId);
    await w.identity.staffAccounts.disable(w.admin, made.user.id);
    expect(w.recorder.actions()).toEqual([
      'user.create', // the first admin, by the CLI operator
      'key.register',
      'user.create', // the second
      'key.register',
      'user.create', // the doctor, by an admin: pending
      'approval.request',
      'user.enrol',
      'user.activate',
      'approval.approve',
      'key.revoke',
      'user.disable',
    ]);
    expect(w.recorder.entries.every((e) => e.inTransaction)).toBe(true);
    expect(w.recorder.entries[0]).toMatchObject({ actor: null, details: { via: 'cli', role: 'admin' } });
    expect(w.recorder.entries[4]).toMatchObject({
      actor: w.admin,
      target: { type: 'user', id: made.user.id },
    });
    const text = JSON.stringify(w.recorder.entries);
    expect(text).not.toContain(GOOD_PASSWORD);
    expect(text).not.toContain(made.invite.code);
    expect(text).not.toMatch(/PRIVATE KEY|argon2/);
    // The same entries are in the ledger, whose chain verifies.
    const ledger = await AuditLedger.open(w.keyring);
    expect(await ledger.size(w.t.store.db)).toBe(w.recorder.entries.length);
    expect((await ledger.verify(w.t.store.db)).ok).toBe(true);
  });
});

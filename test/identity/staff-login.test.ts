import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import { BASE_LOCK_MS, MAX_FAILURES, MAX_SOURCE_FAILURES } from '../../src/app/identity/lockout.js';
import { CHALLENGE_TTL_MS, LOCAL_ORIGIN } from '../../src/app/identity/staff-login.js';
import { canonicalJson } from '../../src/contract/canonical-json.js';
import { loginMessage, prescriptionMessage } from '../../src/contract/signing/index.js';
import { signMessage, type SignatureAlgorithm } from '../../src/crypto/signature.js';
import { enrolledStaff, staffWorld, type StaffWorld } from './staff-world.js';
import { GOOD_PASSWORD, sign } from '../support/people.js';
import { CHEAP_ARGON2 } from '../support/cheap-costs.js';
import { DIALECTS } from '../support/stores.js';

/** What the caller of a failed login learns: always exactly this. */
const failure = async (p: Promise<unknown>): Promise<{ kind: string; code: string; message: string }> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const { kind, code, message } = err as AppError;
  return { kind, code, message };
};
const LOGIN_FAILED = { kind: 'unauthenticated', code: 'login_failed', message: 'Login failed.' };

describe.each(DIALECTS)('staff login (%s)', (dialect) => {
  let w: StaffWorld;
  const users: Record<
    string,
    { id: string; privateKeyPem: string; keyId: string; algorithm: SignatureAlgorithm }
  > = {};

  beforeEach(async () => {
    w = await staffWorld(dialect);
    for (const [username, generate] of [
      ['dr.ed', 'ed25519'],
      ['dr.rsa', 'rsa'],
    ] as const) {
      const algorithm: SignatureAlgorithm = generate === 'rsa' ? 'rsa-pkcs1-sha256' : 'ed25519';
      const c = await enrolledStaff(w, { role: 'doctor', username, displayName: username }, { algorithm });
      users[username] = { id: c.id, privateKeyPem: c.privateKeyPem, keyId: c.keyId, algorithm };
    }
  });
  afterEach(async () => {
    await w.dispose();
  });

  /** A full, correct login attempt with overridable parts. */
  const attempt = async (
    username: string,
    over: { password?: string; signWith?: string; signer?: string; challengeFor?: string } = {},
  ) => {
    const ch = await w.identity.staffLogin.issueChallenge(over.challengeFor ?? username);
    const signer = users[over.signer ?? username]!;
    return w.identity.staffLogin.login({
      username,
      password: over.password ?? GOOD_PASSWORD,
      challengeId: ch.challengeId,
      signature: sign(signer.algorithm, over.signWith ?? signer.privateKeyPem, ch.challenge),
    });
  };

  for (const username of ['dr.ed', 'dr.rsa']) {
    it(`logs in with a ${username === 'dr.ed' ? 'Ed25519' : 'RSA'} key and opens a session`, async () => {
      const ok = await attempt(username);
      expect(ok.user).toEqual({ id: users[username]!.id, role: 'doctor', username, displayName: username });
      expect(ok.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await w.identity.sessions.resolve(w.t.store.db, ok.token)).toEqual({
        userId: users[username]!.id,
        role: 'doctor',
      });
      const entry = w.recorder.entries.at(-1)!;
      expect(entry).toMatchObject({ action: 'login.success', outcome: 'success', inTransaction: true });
      expect(entry.details).toMatchObject({ keyId: users[username]!.keyId });
    });
  }

  it('issues challenges of the documented form, for unknown usernames too', async () => {
    const known = await w.identity.staffLogin.issueChallenge('dr.ed');
    const unknown = await w.identity.staffLogin.issueChallenge('no.such.user');
    for (const [c, username] of [
      [known, 'dr.ed'],
      [unknown, 'no.such.user'],
    ] as const) {
      expect(c.challenge).toEqual({
        type: 'medvault-staff-login',
        v: 1,
        origin: LOCAL_ORIGIN,
        username,
        nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
        expiresAt: c.expiresAt,
      });
      expect(c.expiresAt).toBe(w.clock.now + CHALLENGE_TTL_MS);
      expect(Object.keys(c).sort()).toEqual(['challenge', 'challengeId', 'expiresAt']);
    }
    // Typed with spaces or capitals, a username still gets its challenge; a malformed one is 400.
    await expect(w.identity.staffLogin.issueChallenge(' Dr.Ed ')).resolves.toBeDefined();
    expect((await failure(w.identity.staffLogin.issueChallenge('a b'))).kind).toBe('invalid_input');
  });

  it('refuses a replayed challenge, even after a successful first use', async () => {
    const u = users['dr.ed']!;
    const ch = await w.identity.staffLogin.issueChallenge('dr.ed');
    const body = {
      username: 'dr.ed',
      password: GOOD_PASSWORD,
      challengeId: ch.challengeId,
      signature: sign(u.algorithm, u.privateKeyPem, ch.challenge),
    };
    await w.identity.staffLogin.login(body);
    expect(await failure(w.identity.staffLogin.login(body))).toEqual(LOGIN_FAILED);
  });

  it('refuses a replay of a challenge whose first use failed', async () => {
    const u = users['dr.ed']!;
    const ch = await w.identity.staffLogin.issueChallenge('dr.ed');
    const signature = sign(u.algorithm, u.privateKeyPem, ch.challenge);
    expect(
      await failure(
        w.identity.staffLogin.login({
          username: 'dr.ed',
          password: 'wrong-password-here',
          challengeId: ch.challengeId,
          signature,
        }),
      ),
    ).toEqual(LOGIN_FAILED);
    expect(
      await failure(
        w.identity.staffLogin.login({
          username: 'dr.ed',
          password: GOOD_PASSWORD,
          challengeId: ch.challengeId,
          signature,
        }),
      ),
    ).toEqual(LOGIN_FAILED);
  });

  it('refuses an expired challenge', async () => {
    const u = users['dr.ed']!;
    const ch = await w.identity.staffLogin.issueChallenge('dr.ed');
    w.clock.advance(CHALLENGE_TTL_MS);
    const signature = sign(u.algorithm, u.privateKeyPem, ch.challenge);
    expect(
      await failure(
        w.identity.staffLogin.login({
          username: 'dr.ed',
          password: GOOD_PASSWORD,
          challengeId: ch.challengeId,
          signature,
        }),
      ),
    ).toEqual(LOGIN_FAILED);
  });

  it('refuses a challenge issued to another user, even signed by the right key', async () => {
    expect(await failure(attempt('dr.ed', { challengeFor: 'dr.rsa' }))).toEqual(LOGIN_FAILED);
  });

  describe('signatures are domain-separated (issue 15, finding 1)', () => {
    /** A login with this signature over the challenge's parts; every other factor right. */
    const withSignature = async (
      username: string,
      signOver: (challenge: Awaited<ReturnType<typeof w.identity.staffLogin.issueChallenge>>) => Uint8Array,
    ) => {
      const u = users[username]!;
      const ch = await w.identity.staffLogin.issueChallenge(username, 'https://medvault.example');
      return w.identity.staffLogin.login({
        username,
        password: GOOD_PASSWORD,
        challengeId: ch.challengeId,
        signature: signMessage(u.algorithm, u.privateKeyPem, signOver(ch)),
      });
    };

    for (const username of ['dr.ed', 'dr.rsa']) {
      it(`accepts the login message of the challenge (${username})`, async () => {
        const ok = await withSignature(username, (ch) => loginMessage(ch.challenge));
        expect(ok.user.username).toBe(username);
      });

      it(`refuses a prescription signature replayed at login (${username})`, async () => {
        // Whatever the doctor signed as a prescription — here a message whose payload is the
        // challenge's own JSON — is not a login signature.
        expect(
          await failure(
            withSignature(username, (ch) => prescriptionMessage(canonicalJson({ ...ch.challenge }))),
          ),
        ).toEqual(LOGIN_FAILED);
      });

      it(`refuses a signature over the bare challenge fields, without the context (${username})`, async () => {
        const bare = (ch: { challenge: { nonce: string } }) => new TextEncoder().encode(ch.challenge.nonce);
        expect(await failure(withSignature(username, bare))).toEqual(LOGIN_FAILED);
        const json = (ch: { challenge: object }) => new TextEncoder().encode(JSON.stringify(ch.challenge));
        expect(await failure(withSignature(username, json))).toEqual(LOGIN_FAILED);
      });
    }

    it('refuses a login message for another origin (a relaying site)', async () => {
      expect(
        await failure(
          withSignature('dr.ed', (ch) => loginMessage({ ...ch.challenge, origin: 'https://evil.example' })),
        ),
      ).toEqual(LOGIN_FAILED);
    });

    it('refuses an origin that is not printable ASCII', async () => {
      const err = await failure(w.identity.staffLogin.issueChallenge('dr.ed', 'https://a b'));
      expect(err.kind).toBe('invalid_input');
    });
  });

  it('refuses an unknown challenge id', async () => {
    const u = users['dr.ed']!;
    const signature = sign(u.algorithm, u.privateKeyPem, {
      type: 'medvault-staff-login',
      v: 1,
      origin: LOCAL_ORIGIN,
      username: 'dr.ed',
      nonce: 'x'.repeat(43),
      expiresAt: w.clock.now + 1,
    });
    expect(
      await failure(
        w.identity.staffLogin.login({
          username: 'dr.ed',
          password: GOOD_PASSWORD,
          challengeId: 'nope',
          signature,
        }),
      ),
    ).toEqual(LOGIN_FAILED);
  });

  it('accepts a key the holder added (vouched for by a current key), and refuses a revoked one', async () => {
    const u = users['dr.ed']!;
    const { generateSigningKeyPair } = await import('../../src/crypto/signature.js');
    const { ownKeyBody } = await import('../../src/cli/staff-enrol.js');
    const pair = generateSigningKeyPair('rsa-pkcs1-sha256');
    const me = w.as({ userId: u.id, role: 'doctor' });
    await w.identity.ownKeys.add(me, ownKeyBody('dr.ed', pair.publicKeyPem, u));
    await w.identity.staffAccounts.revokeKey(w.admin, u.id, u.keyId);
    expect(await failure(attempt('dr.ed'))).toEqual(LOGIN_FAILED);
    // The added key works at once.
    users['dr.ed'] = { ...u, privateKeyPem: pair.privateKeyPem, algorithm: 'rsa-pkcs1-sha256' };
    await expect(attempt('dr.ed')).resolves.toBeDefined();
  });

  it("refuses a signature by another user's key", async () => {
    expect(await failure(attempt('dr.ed', { signer: 'dr.rsa' }))).toEqual(LOGIN_FAILED);
  });

  it('refuses a valid signature with a wrong password, an unknown user and a disabled account alike', async () => {
    expect(await failure(attempt('dr.ed', { password: 'not-the-password-at-all' }))).toEqual(LOGIN_FAILED);
    expect(await failure(attempt('ghost.user', { signer: 'dr.ed' }))).toEqual(LOGIN_FAILED);
    await w.identity.staffAccounts.disable(w.admin, users['dr.rsa']!.id);
    expect(await failure(attempt('dr.rsa'))).toEqual(LOGIN_FAILED);
    const failures = w.recorder.entries.filter(
      (e) => e.action === 'login.failure' && e.outcome === 'failure',
    );
    expect(failures.map((e) => e.details?.reasons)).toEqual([['password'], ['unknown_user'], ['disabled']]);
    expect(JSON.stringify(w.recorder.entries)).not.toContain('not-the-password-at-all');
  });

  it(`locks after ${MAX_FAILURES} failures: a correct attempt gets 429 until the backoff passes`, async () => {
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(await failure(attempt('dr.ed', { password: `wrong-password-${i}` }))).toEqual(LOGIN_FAILED);
    }
    const locked = await attempt('dr.ed').catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(AppError);
    expect((locked as AppError).kind).toBe('rate_limited');
    expect((locked as AppError).retryAfterSeconds).toBe(BASE_LOCK_MS / 1000);
    expect(w.recorder.actions().filter((a) => a === 'account.locked')).toHaveLength(1);
    // Other accounts are unaffected.
    await expect(attempt('dr.rsa')).resolves.toBeDefined();
    w.clock.advance(BASE_LOCK_MS - 1);
    expect(await attempt('dr.ed').catch((e: AppError) => e.kind)).toBe('rate_limited');
    w.clock.advance(1);
    await expect(attempt('dr.ed')).resolves.toBeDefined();
    // Success clears the count.
    expect(await failure(attempt('dr.ed', { password: 'wrong-again-password' }))).toEqual(LOGIN_FAILED);
    await expect(attempt('dr.ed')).resolves.toBeDefined();
  });

  it('locks unknown usernames the same way as a known one without its key (lockout reveals nothing)', async () => {
    // Issue 15 finding 4: neither counts against an account; both count against their source
    // (here the in-process one), and both are refused once it is over its bound.
    for (let i = 0; i < MAX_SOURCE_FAILURES; i++)
      await failure(attempt(i % 2 === 0 ? 'ghost.user' : 'dr.rsa', { signer: 'dr.ed' }));
    expect(await attempt('ghost.user', { signer: 'dr.ed' }).catch((e: AppError) => e.kind)).toBe(
      'rate_limited',
    );
    expect(await attempt('dr.rsa', { signer: 'dr.ed' }).catch((e: AppError) => e.kind)).toBe('rate_limited');
  });

  it('upgrades a weaker password hash on the next good login', async () => {
    // Same store, keyring (same pepper) and clock; only the target cost rises.
    const stronger = (await w.recompose({ argon2: { ...CHEAP_ARGON2, memoryCost: 2048 } })).identity
      .staffLogin;
    const hashOf = async () =>
      (
        await w.t.store.db
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', users['dr.ed']!.id)
          .executeTakeFirstOrThrow()
      ).password_hash;
    const before = await hashOf();
    expect(before).toContain('m=1024');
    const u = users['dr.ed']!;
    const ch = await stronger.issueChallenge('dr.ed');
    await stronger.login({
      username: 'dr.ed',
      password: GOOD_PASSWORD,
      challengeId: ch.challengeId,
      signature: sign(u.algorithm, u.privateKeyPem, ch.challenge),
    });
    expect(await hashOf()).toContain('m=2048');
  });

  it('ends sessions after 15 idle minutes and after 8 hours whatever the use; logout ends one at once', async () => {
    const { token } = await attempt('dr.ed');
    const db = w.t.store.db;
    w.clock.advance(15 * 60_000 - 1);
    expect(await w.identity.sessions.resolve(db, token)).not.toBeNull(); // touches last_seen
    w.clock.advance(15 * 60_000);
    expect(await w.identity.sessions.resolve(db, token)).toBeNull();

    const busy = (await attempt('dr.ed')).token;
    for (let h = 0; h < 8 * 4 - 1; h++) {
      w.clock.advance(15 * 60_000 - 1000);
      expect(await w.identity.sessions.resolve(db, busy)).not.toBeNull();
    }
    w.clock.advance(8 * 3_600_000);
    expect(await w.identity.sessions.resolve(db, busy)).toBeNull();

    const fresh = (await attempt('dr.ed')).token;
    const actor = await w.identity.sessions.resolve(db, fresh);
    await w.identity.currentSession.logout(actor === null ? null : w.as(actor), fresh);
    expect(await w.identity.sessions.resolve(db, fresh)).toBeNull();
    expect(w.recorder.entries.at(-1)).toMatchObject({ action: 'logout', actor, inTransaction: true });
  });

  it('answers me for staff and for patients (no username or display name)', async () => {
    const u = users['dr.ed']!;
    expect(await w.identity.currentSession.me(w.as({ userId: u.id, role: 'doctor' }))).toEqual({
      id: u.id,
      role: 'doctor',
      username: 'dr.ed',
      displayName: 'dr.ed',
    });
    await w.t.store.db
      .insertInto('users')
      .values({
        id: 'pat-1',
        role: 'patient',
        username: null,
        display_name: null,
        status: 'active',
        password_hash: null,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    expect(await w.identity.currentSession.me(w.as({ userId: 'pat-1', role: 'patient' }))).toEqual({
      id: 'pat-1',
      role: 'patient',
      username: null,
      displayName: null,
    });
  });
});

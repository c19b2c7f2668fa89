import { afterEach, describe, expect, it } from 'vitest';
import type { SecondFactorNeeded } from '../../src/app/identity/second-factor-login.js';
import { MAX_FAILURES } from '../../src/app/identity/lockout.js';
import { TOTP_STEP_SECONDS } from '../../src/crypto/totp.js';
import { rejectsWith } from '../support/assertions.js';
import { GOOD_PASSWORD, registration, sign } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { openTestWorld, type TestWorld } from '../support/world.js';
import { oathtool } from '../support/oathtool.js';

const STEP = TOTP_STEP_SECONDS * 1000;

interface Setup {
  w: TestWorld;
  staff: { id: string; username: string; privateKeyPem: string };
}

async function world(dialect: (typeof DIALECTS)[number], policy?: string): Promise<Setup> {
  const w = await openTestWorld({
    db: dialect,
    ...(policy === undefined ? {} : { settings: { MEDVAULT_SECOND_FACTOR_POLICY: policy } }),
  });
  const made = await w.identity.staffAccounts.createAsOperator({
    role: 'doctor',
    username: 'dr.totp',
    displayName: 'Dr Totp',
    password: GOOD_PASSWORD,
    key: { generate: 'ed25519' },
  });
  return { w, staff: { id: made.user.id, username: 'dr.totp', privateKeyPem: made.privateKeyPem! } };
}

async function staffSignIn(s: Setup) {
  const ch = await s.w.identity.staffLogin.issueChallenge(s.staff.username);
  return s.w.identity.staffLogin.signIn({
    username: s.staff.username,
    password: GOOD_PASSWORD,
    challengeId: ch.challengeId,
    signature: sign('ed25519', s.staff.privateKeyPem, ch.challenge),
  });
}

/** Adds a confirmed TOTP factor for the doctor; answers its base32 secret. */
async function addTotp(s: Setup): Promise<string> {
  const scope = s.w.as({ userId: s.staff.id, role: 'doctor' });
  const setup = await s.w.identity.secondFactors.beginTotp(scope);
  await s.w.identity.secondFactors.confirmTotp(scope, setup.factorId, oathtool(setup.secret, s.w.clock.now));
  // The confirming code's step is used: sign-ins in these tests start a step later.
  s.w.clock.advance(STEP);
  return setup.secret;
}

const pendingOf = (answer: unknown): SecondFactorNeeded['secondFactor'] => {
  expect(answer).toHaveProperty('secondFactor');
  return (answer as SecondFactorNeeded).secondFactor;
};

describe.each(DIALECTS)('TOTP second factor (%s)', (dialect) => {
  let s: Setup;
  afterEach(async () => {
    await s.w.dispose();
  });

  it('without a factor, under the default policy, the login answers a session as before', async () => {
    s = await world(dialect);
    const answer = await staffSignIn(s);
    expect(answer).toHaveProperty('token');
    expect(
      (await s.w.identity.secondFactors.list(s.w.as({ userId: s.staff.id, role: 'doctor' }))).policy,
    ).toBe('optional');
  });

  it('adds a factor (secret sealed, not in clear), then sign-in needs an oathtool code; a replay is refused', async () => {
    s = await world(dialect);
    const secret = await addTotp(s);
    const row = await s.w.db.selectFrom('second_factors').selectAll().executeTakeFirstOrThrow();
    expect(row.confirmed_at).not.toBeNull();
    const raw = Buffer.from(row.secret_ct!);
    expect(raw.toString('latin1')).not.toContain(secret);
    expect(raw.includes(Buffer.from(secret))).toBe(false);
    expect(s.w.recorder.actions()).toContain('factor.add');

    const pending = pendingOf(await staffSignIn(s));
    expect(pending).toMatchObject({ stage: 'verify', methods: ['totp'] });
    // The programmatic login refuses rather than open a session without the second factor.
    const ch = await s.w.identity.staffLogin.issueChallenge(s.staff.username);
    await rejectsWith(
      s.w.identity.staffLogin.login({
        username: s.staff.username,
        password: GOOD_PASSWORD,
        challengeId: ch.challengeId,
        signature: sign('ed25519', s.staff.privateKeyPem, ch.challenge),
      }),
      'unauthenticated',
      'second_factor_needed',
    );

    const code = oathtool(secret, s.w.clock.now);
    const done = await s.w.identity.secondFactorLogin.totp(pending.pendingToken, code);
    expect(await s.w.identity.sessions.resolve(s.w.db, done.token)).toEqual({
      userId: s.staff.id,
      role: 'doctor',
    });
    expect(done.user).toMatchObject({ id: s.staff.id, role: 'doctor', username: 'dr.totp' });
    // The pending token is single use, and the same code on a new sign-in is refused (same step).
    await rejectsWith(
      s.w.identity.secondFactorLogin.totp(pending.pendingToken, code),
      'unauthenticated',
      'login_failed',
    );
    const again = pendingOf(await staffSignIn(s));
    await rejectsWith(
      s.w.identity.secondFactorLogin.totp(again.pendingToken, code),
      'unauthenticated',
      'login_failed',
    );
    expect(s.w.recorder.entries.filter((e) => e.action === 'login.failure').at(-1)?.details).toMatchObject({
      reasons: ['totp_replay'],
    });
    // The next step's code works.
    s.w.clock.advance(STEP);
    await s.w.identity.secondFactorLogin.totp(again.pendingToken, oathtool(secret, s.w.clock.now));
  });

  it('accepts one step of clock skew either way, refuses two (injected clock)', async () => {
    s = await world(dialect);
    const secret = await addTotp(s);
    s.w.clock.advance(10 * STEP);
    const at = s.w.clock.now;
    const p = pendingOf(await staffSignIn(s));
    for (const offset of [-2, 2])
      await rejectsWith(
        s.w.identity.secondFactorLogin.totp(p.pendingToken, oathtool(secret, at + offset * STEP)),
        'unauthenticated',
        'login_failed',
      );
    // -1 first (its step is older), then +1: each accepted once.
    await s.w.identity.secondFactorLogin.totp(p.pendingToken, oathtool(secret, at - STEP));
    const q = pendingOf(await staffSignIn(s));
    await s.w.identity.secondFactorLogin.totp(q.pendingToken, oathtool(secret, at + STEP));
  });

  it('wrong codes count toward the account lockout: locked, even the right code is refused (429)', async () => {
    s = await world(dialect);
    const secret = await addTotp(s);
    const p = pendingOf(await staffSignIn(s));
    // The first factor reserved one attempt; the lock comes with the MAX_FAILURES-th.
    let locked = false;
    for (let i = 0; i < MAX_FAILURES && !locked; i++) {
      const err = await s.w.identity.secondFactorLogin
        .totp(p.pendingToken, '000000')
        .catch((e: unknown) => e);
      locked = (err as { code?: string }).code === 'rate_limited';
    }
    expect(s.w.recorder.actions()).toContain('account.locked');
    await rejectsWith(
      s.w.identity.secondFactorLogin.totp(p.pendingToken, oathtool(secret, s.w.clock.now)),
      'rate_limited',
    );
  });

  it('a pending token is refused when expired, unknown, or of the other stage', async () => {
    s = await world(dialect);
    const secret = await addTotp(s);
    const p = pendingOf(await staffSignIn(s));
    await rejectsWith(
      s.w.identity.secondFactorLogin.enrolTotp(p.pendingToken),
      'unauthenticated',
      'login_failed',
    );
    await rejectsWith(
      s.w.identity.secondFactorLogin.totp('not-a-token', '123456'),
      'unauthenticated',
      'login_failed',
    );
    s.w.clock.advance(5 * 60_000 + 1);
    await rejectsWith(
      s.w.identity.secondFactorLogin.totp(p.pendingToken, oathtool(secret, s.w.clock.now)),
      'unauthenticated',
      'login_failed',
    );
  });

  it('policy required: a user without a factor is led to enrol one, which completes the sign-in', async () => {
    s = await world(dialect, 'doctor=required');
    const p = pendingOf(await staffSignIn(s));
    expect(p).toMatchObject({ stage: 'enrol', methods: ['totp', 'passkey'] });
    // The pending token opens no session and cannot prove a factor.
    await rejectsWith(
      s.w.identity.secondFactorLogin.totp(p.pendingToken, '123456'),
      'unauthenticated',
      'login_failed',
    );
    const setup = await s.w.identity.secondFactorLogin.enrolTotp(p.pendingToken);
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\/MedVault:dr\.totp\?secret=/);
    await rejectsWith(
      s.w.identity.secondFactorLogin.confirmEnrolTotp(p.pendingToken, setup.factorId, '000000'),
      'invalid_input',
      'invalid_second_factor',
    );
    const done = await s.w.identity.secondFactorLogin.confirmEnrolTotp(
      p.pendingToken,
      setup.factorId,
      oathtool(setup.secret, s.w.clock.now),
    );
    expect(await s.w.identity.sessions.resolve(s.w.db, done.token)).toEqual({
      userId: s.staff.id,
      role: 'doctor',
    });
    // From now on the code is asked; the only factor cannot be removed under `required`.
    expect(pendingOf(await staffSignIn(s)).stage).toBe('verify');
    const scope = s.w.as({ userId: s.staff.id, role: 'doctor' });
    await rejectsWith(
      s.w.identity.secondFactors.remove(scope, setup.factorId),
      'conflict',
      'last_second_factor',
    );
  });

  it('policy off: no factor may be added and none is asked', async () => {
    s = await world(dialect, 'off');
    const scope = s.w.as({ userId: s.staff.id, role: 'doctor' });
    await rejectsWith(s.w.identity.secondFactors.beginTotp(scope), 'forbidden', 'second_factors_off');
    expect(await staffSignIn(s)).toHaveProperty('token');
  });

  it('removing a factor is a ledger entry; sign-in then answers a session again', async () => {
    s = await world(dialect);
    await addTotp(s);
    const scope = s.w.as({ userId: s.staff.id, role: 'doctor' });
    const [factor] = (await s.w.identity.secondFactors.list(scope)).factors;
    await rejectsWith(s.w.identity.secondFactors.remove(scope, 'no-such-factor'), 'not_found');
    await s.w.identity.secondFactors.remove(scope, factor!.id);
    expect(s.w.recorder.actions()).toContain('factor.remove');
    expect(await staffSignIn(s)).toHaveProperty('token');
  });

  it('patients too: the factor change is in their access history, and sign-in needs the code', async () => {
    s = await world(dialect, 'patient=optional');
    const registrar = await s.w.identity.staffAccounts.createAsOperator({
      role: 'registrar',
      username: 'reg.totp',
      displayName: 'Registrar',
      password: GOOD_PASSWORD,
      key: { generate: 'ed25519' },
    });
    const reg = registration();
    const { patientId } = await s.w.identity.patients.register(
      s.w.as({ userId: registrar.user.id, role: 'registrar' }),
      reg,
    );
    const scope = s.w.as({ userId: patientId, role: 'patient' });
    const setup = await s.w.identity.secondFactors.beginTotp(scope);
    expect(setup.uri).not.toContain(reg.ssn);
    await s.w.identity.secondFactors.confirmTotp(
      scope,
      setup.factorId,
      oathtool(setup.secret, s.w.clock.now),
    );
    s.w.clock.advance(STEP);
    expect(s.w.recorder.entries.find((e) => e.action === 'factor.add')).toMatchObject({ patientId });
    const history = await s.w.records.accessLog.list(scope, patientId);
    expect(history.entries.map((e) => e.action)).toContain('factor.add');

    const answer = await s.w.identity.patientLogin.signIn({
      ssn: reg.ssn,
      pin: reg.pin,
      password: reg.password,
    });
    const p = pendingOf(answer);
    const done = await s.w.identity.secondFactorLogin.totp(
      p.pendingToken,
      oathtool(setup.secret, s.w.clock.now),
    );
    expect(done.user).toMatchObject({ id: patientId, role: 'patient', username: null });
  });
});

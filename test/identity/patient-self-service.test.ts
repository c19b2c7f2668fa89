import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessScope } from '../../src/app/access/index.js';
import { MAX_FAILURES } from '../../src/app/identity/lockout.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { rejectsWith } from '../support/assertions.js';
import { registerEnrolled, registration, type TestPatient } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';

const NEW_PASSWORD = 'copper-lighthouse-violin-2291';

describe.each(DIALECTS)("a patient's own account (%s)", (dialect) => {
  let w: StaffedWorld;
  let p: TestPatient;
  let patientId: string;
  let recoveryCode: string;
  let me: AccessScope;
  let token: string;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    p = registration();
    ({ patientId, recoveryCode } = await registerEnrolled(w, w.staff.registrar, p));
    me = w.as({ userId: patientId, role: 'patient' });
    token = (await w.identity.patientLogin.login({ ssn: p.ssn, pin: p.pin, password: p.password })).token;
  });
  afterEach(async () => {
    await w.dispose();
  });

  const login = (pin = p.pin, password = p.password) =>
    w.identity.patientLogin.login({ ssn: p.ssn, pin, password });
  const history = async (): Promise<string[]> =>
    (await w.records.accessLog.list(me, patientId, { limit: 100 })).entries.map((e) => e.action);
  const account = () => w.identity.patientAccount;

  it('changes the password with the current password and PIN: the old one stops working, a ledger entry shows in the history', async () => {
    const other = (await login()).token;
    await account().changePassword(me, token, {
      currentPassword: p.password,
      pin: p.pin,
      newPassword: NEW_PASSWORD,
    });
    await rejectsWith(login(), 'unauthenticated', 'login_failed');
    await login(p.pin, NEW_PASSWORD);
    // This session stays; the other one ended.
    expect(await w.identity.sessions.resolve(w.db, token)).not.toBeNull();
    expect(await w.identity.sessions.resolve(w.db, other)).toBeNull();
    expect(w.recorder.entries.find((e) => e.action === 'password.change')).toMatchObject({
      actor: { userId: patientId, role: 'patient' },
      patientId,
      outcome: 'success',
      details: { sessionsRevoked: 1 },
      inTransaction: true,
    });
    expect(await history()).toContain('password.change');
    expect(JSON.stringify(w.recorder.entries)).not.toContain(NEW_PASSWORD);
  });

  it('refuses a wrong current password or PIN (403 credentials_mismatch, counted, ledgered) and a weak new one (400)', async () => {
    await rejectsWith(
      account().changePassword(me, token, {
        currentPassword: 'not-my-password-x1',
        pin: p.pin,
        newPassword: NEW_PASSWORD,
      }),
      'forbidden',
      'credentials_mismatch',
    );
    await rejectsWith(
      account().changePassword(me, token, {
        currentPassword: p.password,
        pin: '000000',
        newPassword: NEW_PASSWORD,
      }),
      'forbidden',
      'credentials_mismatch',
    );
    await rejectsWith(
      account().changePassword(me, token, {
        currentPassword: p.password,
        pin: p.pin,
        newPassword: 'password',
      }),
      'invalid_input',
      'weak_password',
    );
    await rejectsWith(
      account().changePassword(me, token, {
        currentPassword: p.password,
        pin: p.pin,
        newPassword: p.ssn,
      }),
      'invalid_input',
      'weak_password',
    );
    await login();
    expect(
      w.recorder.entries.filter((e) => e.action === 'password.change' && e.outcome === 'failure'),
    ).toHaveLength(2);
  });

  it(`a stolen session cannot guess the PIN faster than a login: ${MAX_FAILURES} wrong tries lock the account`, async () => {
    for (let i = 0; i < MAX_FAILURES; i++)
      await rejectsWith(
        account().changePin(me, token, {
          currentPin: String(100000 + i),
          password: p.password,
          newPin: '123123',
        }),
        'forbidden',
        'credentials_mismatch',
      );
    await rejectsWith(
      account().changePin(me, token, { currentPin: p.pin, password: p.password, newPin: '123123' }),
      'rate_limited',
    );
    await rejectsWith(login(), 'rate_limited');
  });

  it('changes the PIN with the current PIN and password; the old PIN stops working', async () => {
    await account().changePin(me, token, { currentPin: p.pin, password: p.password, newPin: '864213' });
    await rejectsWith(login(), 'unauthenticated', 'login_failed');
    await login('864213');
    expect(await history()).toContain('pin.change');
    await rejectsWith(
      account().changePin(me, token, { currentPin: '864213', password: p.password, newPin: '12345' }),
      'invalid_input',
    );
  });

  it('a new recovery code replaces the old one, shown once', async () => {
    const { recoveryCode: fresh } = await account().renewRecoveryCode(me, {
      pin: p.pin,
      password: p.password,
    });
    expect(fresh).not.toBe(recoveryCode);
    const recover = (code: string) =>
      w.identity.pinRecovery.recover({
        ssn: p.ssn,
        password: p.password,
        dateOfBirth: p.dateOfBirth,
        recoveryCode: code,
        newPin: '505050',
      });
    await rejectsWith(recover(recoveryCode), 'unauthenticated', 'login_failed');
    await recover(fresh);
    expect(await history()).toContain('recovery_code.renew');
    await rejectsWith(
      account().renewRecoveryCode(me, { pin: '000000', password: p.password }),
      'forbidden',
      'credentials_mismatch',
    );
  });

  it('lists its own sessions and signs out everywhere else', async () => {
    const second = (await login()).token;
    const listed = await account().sessions(me, token);
    expect(listed).toHaveLength(2);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed.every((s) => /^[0-9a-f]{16}$/.test(s.id))).toBe(true);
    expect(await account().endOtherSessions(me, token)).toEqual({ ended: 1 });
    expect(await w.identity.sessions.resolve(w.db, second)).toBeNull();
    expect(await w.identity.sessions.resolve(w.db, token)).not.toBeNull();
    expect(await account().sessions(me, token)).toEqual([expect.objectContaining({ current: true })]);
    expect(await history()).toContain('sessions.end_others');
  });

  it("is the patient's own: every staff role is refused (403)", async () => {
    for (const staff of [w.staff.registrar, w.staff.doctor, w.staff.admin, w.staff.pharmacist]) {
      await rejectsWith(account().sessions(staff, undefined), 'forbidden');
      await rejectsWith(account().endOtherSessions(staff, 'x'), 'forbidden');
      await rejectsWith(
        account().renewRecoveryCode(staff, { pin: p.pin, password: p.password }),
        'forbidden',
      );
      await rejectsWith(
        account().changePin(staff, 'x', { currentPin: p.pin, password: p.password, newPin: '111111' }),
        'forbidden',
      );
      await rejectsWith(
        account().changePassword(staff, 'x', {
          currentPassword: p.password,
          pin: p.pin,
          newPassword: NEW_PASSWORD,
        }),
        'forbidden',
      );
    }
  });

  it('a change raced by another change of the same secret loses (409), and a not-enrolled patient has nothing to change', async () => {
    const results = await Promise.allSettled([
      account().changePin(me, token, { currentPin: p.pin, password: p.password, newPin: '111222' }),
      account().changePin(me, token, { currentPin: p.pin, password: p.password, newPin: '333444' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    const q = registration();
    const { patientId: pending } = await w.identity.patients.register(w.staff.registrar, q);
    await rejectsWith(
      account().renewRecoveryCode(w.as({ userId: pending, role: 'patient' }), {
        pin: q.pin,
        password: q.password,
      }),
      'forbidden',
    );
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_LOCK_MS, MAX_FAILURES } from '../../src/app/identity/lockout.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { rejectsWith } from '../support/assertions.js';
import { registerEnrolled, registration } from '../support/people.js';
import { CHEAP_ARGON2 } from '../support/cheap-costs.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('patient login (%s)', (dialect) => {
  let w: StaffedWorld;
  let reg: ReturnType<typeof registration>;
  let patientId: string;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    reg = registration();
    patientId = (await registerEnrolled(w, w.staff.registrar, reg)).patientId;
    w.recorder.entries.length = 0;
  });
  afterEach(async () => {
    await w.dispose();
  });

  const login = (over: Partial<{ ssn: string; pin: string; password: string }> = {}) =>
    w.identity.patientLogin.login({ ssn: reg.ssn, pin: reg.pin, password: reg.password, ...over });

  it('logs in with SSN, PIN and password: a session for the patient, a ledger entry in the same transaction', async () => {
    const result = await login();
    expect(result.user).toEqual({ id: patientId, role: 'patient' });
    expect(await w.identity.sessions.resolve(w.db, result.token)).toEqual({
      userId: patientId,
      role: 'patient',
    });
    expect(w.recorder.entries).toEqual([
      expect.objectContaining({
        action: 'login.success',
        actor: { userId: patientId, role: 'patient' },
        patientId,
        outcome: 'success',
        inTransaction: true,
      }),
    ]);
  });

  it('wrong PIN, wrong password and unknown SSN fail identically (401 login_failed, same message)', async () => {
    const errors = [
      await rejectsWith(login({ pin: '000000' }), 'unauthenticated', 'login_failed'),
      await rejectsWith(login({ password: 'not-the-password-at-all' }), 'unauthenticated', 'login_failed'),
      await rejectsWith(login({ ssn: '999-99-9999' }), 'unauthenticated', 'login_failed'),
      await rejectsWith(
        login({ pin: '000000', password: 'not-the-password-at-all' }),
        'unauthenticated',
        'login_failed',
      ),
    ];
    expect(new Set(errors.map((e) => `${e.kind}|${e.code}|${e.message}|${e.retryAfterSeconds}`)).size).toBe(
      1,
    );
    // Each failure is in the ledger, committed, without anything the caller typed.
    const failures = w.recorder.entries.filter((e) => e.action === 'login.failure');
    expect(failures).toHaveLength(4);
    expect(JSON.stringify(failures)).not.toMatch(/000000|not-the-password|999-99/);
    expect(failures[2]).toMatchObject({ target: null, patientId: null, actor: null });
  });

  it(`locks after ${MAX_FAILURES} failures: a correct attempt is then refused with 429 until the backoff passes`, async () => {
    for (let i = 0; i < MAX_FAILURES; i++) await rejectsWith(login({ pin: '111111' }), 'unauthenticated');
    expect(w.recorder.actions()).toContain('account.locked');
    const locked = await rejectsWith(login(), 'rate_limited');
    expect(locked.retryAfterSeconds).toBe(BASE_LOCK_MS / 1000);
    w.clock.advance(BASE_LOCK_MS + 1);
    expect((await login()).user.id).toBe(patientId);
    // Success clears the count: four more failures do not lock.
    for (let i = 0; i < MAX_FAILURES - 1; i++) await rejectsWith(login({ pin: '111111' }), 'unauthenticated');
    expect((await login()).user.id).toBe(patientId);
  });

  it('locks unknown SSNs too, so a lock reveals nothing', async () => {
    for (let i = 0; i < MAX_FAILURES; i++)
      await rejectsWith(login({ ssn: '888-77-6666' }), 'unauthenticated');
    await rejectsWith(login({ ssn: '888-77-6666' }), 'rate_limited');
    // Another account is unaffected.
    expect((await login()).user.id).toBe(patientId);
  });

  it('refuses a disabled patient account with the same generic error', async () => {
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', patientId).execute();
    await rejectsWith(login(), 'unauthenticated', 'login_failed');
  });

  it('upgrades weaker verifiers on the next good login, and only then', async () => {
    const before = await w.db
      .selectFrom('patients')
      .selectAll()
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    expect(before.pin_hash).toContain('m=1024,');
    const stronger = { memoryCost: 2048, timeCost: 2, parallelism: 1 };
    const upgraded = await w.recompose({ argon2: stronger });
    await rejectsWith(
      upgraded.identity.patientLogin.login({ ssn: reg.ssn, pin: '000000', password: reg.password }),
      'unauthenticated',
    );
    const afterFailure = await w.db
      .selectFrom('patients')
      .selectAll()
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    expect(afterFailure.pin_hash).toBe(before.pin_hash);
    await upgraded.identity.patientLogin.login({ ssn: reg.ssn, pin: reg.pin, password: reg.password });
    const after = await w.db
      .selectFrom('patients')
      .selectAll()
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    expect(after.pin_hash).toContain('m=2048,t=2,');
    expect(after.password_hash).toContain('m=2048,t=2,');
    expect(after.recovery_hash).toBe(before.recovery_hash);
    expect(w.recorder.entries.at(-1)?.details).toMatchObject({ rehashed: true });
    // Both old and new parameters verify; the stronger world logs in without another rehash.
    await upgraded.identity.patientLogin.login({ ssn: reg.ssn, pin: reg.pin, password: reg.password });
    expect(w.recorder.entries.at(-1)?.details).toMatchObject({ rehashed: false });
    expect(CHEAP_ARGON2.memoryCost).toBeLessThan(stronger.memoryCost);
  });
});

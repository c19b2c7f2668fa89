import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FAILURES } from '../../src/app/identity/lockout.js';
import { RESET_TOKEN_TTL_MS } from '../../src/app/identity/pin-recovery.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { rejectsWith } from '../support/assertions.js';
import { registerEnrolled, registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('PIN recovery and registrar-assisted reset (%s)', (dialect) => {
  let w: StaffedWorld;
  let reg: ReturnType<typeof registration>;
  let patientId: string;
  let code: string;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    reg = registration({ dateOfBirth: '1962-05-30' });
    ({ patientId, recoveryCode: code } = await registerEnrolled(w, w.staff.registrar, reg));
  });
  afterEach(async () => {
    await w.dispose();
  });

  const recover = (over: Record<string, string> = {}) =>
    w.identity.pinRecovery.recover({
      ssn: reg.ssn,
      password: reg.password,
      dateOfBirth: reg.dateOfBirth,
      recoveryCode: code,
      newPin: '246810',
      ...over,
    });
  const login = (pin: string) => w.identity.patientLogin.login({ ssn: reg.ssn, pin, password: reg.password });

  /** Every ciphertext byte a credential change must leave alone. */
  const ciphertexts = async () => ({
    patients: await w.db
      .selectFrom('patients')
      .select(['id', 'ssn_ct', 'name_ct', 'dob_ct'])
      .orderBy('id')
      .execute(),
    keys: await w.db.selectFrom('data_keys').select(['id', 'wrapped', 'kek_version']).orderBy('id').execute(),
  });

  it('fails with the one generic 401 when any single factor is wrong, and changes nothing', async () => {
    const before = await w.db.selectFrom('patients').selectAll().execute();
    const wrong: Array<Record<string, string>> = [
      { ssn: '999-88-7777' },
      { password: 'some-other-long-password' },
      { dateOfBirth: '1962-05-31' },
      { recoveryCode: 'AAAAA-BBBBB-CCCCC-DDDDD' },
      { recoveryCode: 'garbage' },
    ];
    const messages = new Set<string>();
    for (const over of wrong) {
      const err = await rejectsWith(recover(over), 'unauthenticated', 'login_failed');
      messages.add(err.message);
      w.clock.advance(10 * 60_000 * 60); // past any lock, so every factor is really tested
    }
    expect(messages.size).toBe(1);
    expect(await w.db.selectFrom('patients').selectAll().execute()).toEqual(before);
    expect((await login(reg.pin)).user.id).toBe(patientId);
  });

  it('after recovery: old PIN fails, new works, the new code works next time and the old does not; no ciphertext byte changes', async () => {
    const before = await ciphertexts();
    const session = await login(reg.pin);
    const { recoveryCode: newCode } = await recover();
    expect(newCode).not.toBe(code);
    // Every session of the patient ended.
    expect(await w.identity.sessions.resolve(w.db, session.token)).toBeNull();
    await rejectsWith(login(reg.pin), 'unauthenticated', 'login_failed');
    expect((await login('246810')).user.id).toBe(patientId);
    // The old code is spent; the new one works (typed in lower case without dashes, even).
    await rejectsWith(recover({ newPin: '135790' }), 'unauthenticated', 'login_failed');
    const next = await recover({ recoveryCode: newCode.replace(/-/g, '').toLowerCase(), newPin: '135790' });
    expect((await login('135790')).user.id).toBe(patientId);
    expect(next.recoveryCode).not.toBe(newCode);
    expect(await ciphertexts()).toEqual(before);
    const recovered = w.recorder.entries.filter((e) => e.action === 'pin.recover' && e.outcome === 'success');
    expect(recovered).toHaveLength(2);
    expect(recovered[0]).toMatchObject({ patientId, inTransaction: true, details: { sessionsRevoked: 1 } });
    expect(JSON.stringify(w.recorder.entries)).not.toMatch(/246810|135790|1962-05-30/);
  });

  it('a recovery verifier copied onto another patient (SQL) opens nothing there: it is bound to its patient', async () => {
    // The attacker is patient B, knows their own code, and can write to the database.
    const regB = registration({ dateOfBirth: '1970-01-01' });
    const b = await registerEnrolled(w, w.staff.registrar, regB);
    const rowB = await w.db
      .selectFrom('patients')
      .select('recovery_hash')
      .where('id', '=', b.patientId)
      .executeTakeFirstOrThrow();
    await w.db
      .updateTable('patients')
      .set({ recovery_hash: rowB.recovery_hash })
      .where('id', '=', patientId)
      .execute();
    await rejectsWith(recover({ recoveryCode: b.recoveryCode }), 'unauthenticated', 'login_failed');
    expect((await login(reg.pin)).user.id).toBe(patientId);
  });

  it('rejects a new PIN that is not 6 digits with 400 before checking anything', async () => {
    await rejectsWith(recover({ newPin: '12345' }), 'invalid_input');
    await rejectsWith(recover({ newPin: 'abcdef' }), 'invalid_input');
  });

  it('counts recovery failures toward the login lockout', async () => {
    for (let i = 0; i < MAX_FAILURES; i++)
      await rejectsWith(recover({ dateOfBirth: '2000-01-01' }), 'unauthenticated');
    await rejectsWith(recover(), 'rate_limited');
    await rejectsWith(login(reg.pin), 'rate_limited');
  });

  it('registrar reset token: works once, only with the password, expires after 24 hours; only its hash is stored', async () => {
    const issued = await w.identity.pinRecovery.issueReset(w.staff.registrar, patientId);
    expect(issued.expiresAt).toBe(w.clock.now + RESET_TOKEN_TTL_MS);
    const row = await w.db
      .selectFrom('patients')
      .select(['reset_hash'])
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    expect(row.reset_hash).not.toContain(issued.resetToken);
    const before = await ciphertexts();
    const reset = (over: Record<string, string> = {}) =>
      w.identity.pinRecovery.resetWithToken({
        ssn: reg.ssn,
        password: reg.password,
        resetToken: issued.resetToken,
        newPin: '112233',
        ...over,
      });

    await rejectsWith(reset({ password: 'wrong-password-entirely' }), 'unauthenticated', 'login_failed');
    await rejectsWith(reset({ resetToken: `${issued.resetToken}x` }), 'unauthenticated', 'login_failed');
    await rejectsWith(reset({ ssn: '999-88-7777' }), 'unauthenticated', 'login_failed');
    const session = await login(reg.pin);
    await reset();
    expect(await w.identity.sessions.resolve(w.db, session.token)).toBeNull();
    expect((await login('112233')).user.id).toBe(patientId);
    await rejectsWith(login(reg.pin), 'unauthenticated');
    // Used once; a second use fails.
    await rejectsWith(reset({ newPin: '445566' }), 'unauthenticated', 'login_failed');
    expect(await ciphertexts()).toEqual(before);

    const late = await w.identity.pinRecovery.issueReset(w.staff.registrar, patientId);
    w.clock.advance(RESET_TOKEN_TTL_MS + 1);
    await rejectsWith(reset({ resetToken: late.resetToken }), 'unauthenticated', 'login_failed');
    const actions = w.recorder.entries
      .filter((e) => e.action === 'pin.reset')
      .map((e) => [e.outcome, e.details?.stage]);
    expect(actions).toContainEqual(['success', 'issued']);
    expect(actions).toContainEqual(['success', 'completed']);
  });

  it('a new reset token replaces the previous one', async () => {
    const first = await w.identity.pinRecovery.issueReset(w.staff.registrar, patientId);
    await w.identity.pinRecovery.issueReset(w.staff.registrar, patientId);
    await rejectsWith(
      w.identity.pinRecovery.resetWithToken({
        ssn: reg.ssn,
        password: reg.password,
        resetToken: first.resetToken,
        newPin: '112233',
      }),
      'unauthenticated',
    );
  });

  it('only registrars issue reset tokens (403), for patients that exist (404)', async () => {
    for (const actor of [
      w.staff.admin,
      w.staff.doctor,
      w.staff.pharmacist,
      { userId: patientId, role: 'patient' as const },
    ]) {
      await rejectsWith(w.identity.pinRecovery.issueReset(w.as(actor), patientId), 'forbidden');
    }
    await rejectsWith(w.identity.pinRecovery.issueReset(w.staff.registrar, 'nobody'), 'not_found');
  });
});

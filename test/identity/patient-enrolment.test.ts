import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialHasher } from '../../src/app/identity/credential-hasher.js';
import { MAX_FAILURES } from '../../src/app/identity/lockout.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { rejectsWith } from '../support/assertions.js';
import { identityOf, registration, type TestPatient } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';

const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/;
const HOUR = 3_600_000;

describe.each(DIALECTS)('patient enrolment (%s)', (dialect) => {
  let w: StaffedWorld;
  let p: TestPatient;
  let patientId: string;
  let code: string;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    p = registration();
    ({ patientId, enrolmentCode: code } = await w.identity.patients.register(
      w.staff.registrar,
      identityOf(p),
    ));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await w.dispose();
  });

  const activate = (
    over: Partial<{ ssn: string; enrolmentCode: string; pin: string; password: string }> = {},
  ) =>
    w.identity.enrolment.activate({
      ssn: p.ssn,
      enrolmentCode: code,
      pin: p.pin,
      password: p.password,
      ...over,
    });
  const login = (pin = p.pin, password = p.password) =>
    w.identity.patientLogin.login({ ssn: p.ssn, pin, password });

  it('registration answers a 120-bit enrolment code in groups of four, expiring in 72 h, stored only as a keyed verifier', async () => {
    const q = registration();
    const r = await w.identity.patients.register(w.staff.registrar, identityOf(q));
    expect(r.enrolmentCode).toMatch(CODE_RE);
    expect(r.expiresAt).toBe(w.clock.now + 72 * HOUR);
    const row = await w.db
      .selectFrom('patient_enrolments')
      .selectAll()
      .where('patient_id', '=', r.patientId)
      .executeTakeFirstOrThrow();
    expect(row.code_hash).toMatch(/^mv1\$p1\$hmac-sha256\$/);
    expect(JSON.stringify(row)).not.toContain(r.enrolmentCode.replace(/-/g, ''));
    const patient = await w.db
      .selectFrom('patients')
      .select(['pin_hash', 'password_hash', 'recovery_hash'])
      .where('id', '=', r.patientId)
      .executeTakeFirstOrThrow();
    expect(patient).toEqual({ pin_hash: '', password_hash: '', recovery_hash: '' });
    expect(w.recorder.entries.filter((e) => e.patientId === r.patientId).map((e) => e.action)).toEqual([
      'patient.register',
      'enrolment.issue',
    ]);
  });

  it('registration and a not-enrolled login cost no password hashing; the login is refused plainly (403 not_enrolled)', async () => {
    const hash = vi.spyOn(CredentialHasher.prototype, 'hash');
    const verify = vi.spyOn(CredentialHasher.prototype, 'verify');
    const dummy = vi.spyOn(CredentialHasher.prototype, 'dummy');
    await w.identity.patients.register(w.staff.registrar, identityOf(registration()));
    await rejectsWith(login(), 'forbidden', 'not_enrolled');
    expect(hash).not.toHaveBeenCalled();
    expect(verify).not.toHaveBeenCalled();
    expect(dummy).not.toHaveBeenCalled();
    expect(w.recorder.entries.at(-1)).toMatchObject({
      action: 'login.failure',
      outcome: 'denied',
      patientId,
    });
  });

  it('activation sets PIN and password the patient chose and answers the recovery code once; then login works', async () => {
    const { recoveryCode } = await activate();
    expect(recoveryCode).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    const session = await login();
    expect(session.user.id).toBe(patientId);
    expect(w.recorder.entries.find((e) => e.action === 'patient.enrol')).toMatchObject({
      actor: { userId: patientId, role: 'patient' },
      patientId,
      outcome: 'success',
      inTransaction: true,
    });
    // The recovery code works for recovery: it is the patient's.
    await w.identity.pinRecovery.recover({
      ssn: p.ssn,
      password: p.password,
      dateOfBirth: p.dateOfBirth,
      recoveryCode,
      newPin: '135790',
    });
  });

  it('accepts the code typed in lower case, without dashes', async () => {
    await activate({ enrolmentCode: code.replace(/-/g, '').toLowerCase() });
    await login();
  });

  it('a wrong code and an unknown SSN give one 401 enrolment_code_invalid, counted and ledgered', async () => {
    const wrong = await rejectsWith(
      activate({ enrolmentCode: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' }),
      'unauthenticated',
      'enrolment_code_invalid',
    );
    const unknown = await rejectsWith(
      activate({ ssn: '999-99-9999' }),
      'unauthenticated',
      'enrolment_code_invalid',
    );
    expect(wrong.message).toBe(unknown.message);
    const failures = w.recorder.entries.filter(
      (e) => e.action === 'patient.enrol' && e.outcome === 'failure',
    );
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ patientId, actor: null });
    expect(JSON.stringify(failures)).not.toContain(code);
    await rejectsWith(login(), 'forbidden', 'not_enrolled');
  });

  it('a reused code is 409 enrolment_code_used and changes nothing', async () => {
    await activate();
    const before = await w.db
      .selectFrom('patients')
      .select(['pin_hash', 'password_hash'])
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    await rejectsWith(
      activate({ pin: '111111', password: 'another-long-passphrase-99' }),
      'conflict',
      'enrolment_code_used',
    );
    const after = await w.db
      .selectFrom('patients')
      .select(['pin_hash', 'password_hash'])
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    await login();
  });

  it('two activations at once: exactly one wins', async () => {
    const results = await Promise.allSettled([activate(), activate({ pin: '222222' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('an expired code is 401 enrolment_code_expired; a new code from the registrar works and the old one stops', async () => {
    w.clock.advance(72 * HOUR);
    await rejectsWith(activate(), 'unauthenticated', 'enrolment_code_expired');
    const fresh = await w.identity.enrolment.reissue(w.staff.registrar, patientId);
    expect(fresh.enrolmentCode).toMatch(CODE_RE);
    await rejectsWith(activate(), 'unauthenticated', 'enrolment_code_invalid');
    await activate({ enrolmentCode: fresh.enrolmentCode });
    await login();
    expect(w.recorder.entries.filter((e) => e.action === 'enrolment.issue')).toHaveLength(2);
  });

  it('the expiry follows MEDVAULT_ENROLMENT_CODE_HOURS', async () => {
    const v = await openTestWorld({
      db: dialect,
      staff: true,
      settings: { MEDVAULT_ENROLMENT_CODE_HOURS: '2' },
    });
    try {
      const q = registration();
      const r = await v.identity.patients.register(v.staff.registrar, identityOf(q));
      expect(r.expiresAt).toBe(v.clock.now + 2 * HOUR);
      v.clock.advance(2 * HOUR - 1);
      await v.identity.enrolment.activate({
        ssn: q.ssn,
        enrolmentCode: r.enrolmentCode,
        pin: q.pin,
        password: q.password,
      });
    } finally {
      await v.dispose();
    }
  });

  it('a new code is refused once the patient has enrolled (409 already_enrolled), and to every other role', async () => {
    await activate();
    await rejectsWith(
      w.identity.enrolment.reissue(w.staff.registrar, patientId),
      'conflict',
      'already_enrolled',
    );
    for (const who of [
      w.staff.doctor,
      w.staff.admin,
      w.staff.pharmacist,
      w.as({ userId: patientId, role: 'patient' }),
    ])
      await rejectsWith(w.identity.enrolment.reissue(who, patientId), 'forbidden');
    await rejectsWith(
      w.identity.enrolment.reissue(w.staff.registrar, '00000000-0000-4000-8000-000000000000'),
      'not_found',
    );
  });

  it('a weak password is refused (400 weak_password) without spending the code', async () => {
    await rejectsWith(activate({ password: 'password' }), 'invalid_input', 'weak_password');
    await rejectsWith(activate({ password: `${p.fullName} 1984-07-19` }), 'invalid_input', 'weak_password');
    await rejectsWith(activate({ pin: '12345' }), 'invalid_input');
    await activate();
  });

  it(`locks the SSN after ${MAX_FAILURES} wrong codes: the right code is refused (429) while locked`, async () => {
    for (let i = 0; i < MAX_FAILURES; i++)
      await rejectsWith(
        activate({ enrolmentCode: `AAAA-BBBB-CCCC-DDDD-EEEE-FFF${i}` }),
        'unauthenticated',
        'enrolment_code_invalid',
      );
    await rejectsWith(activate(), 'rate_limited');
    expect(w.recorder.entries.some((e) => e.action === 'account.locked' && e.patientId === patientId)).toBe(
      true,
    );
    w.clock.advance(HOUR);
    await activate();
  });

  it('recovery and the assisted reset treat a not-enrolled patient like an unknown SSN', async () => {
    const { resetToken } = await w.identity.pinRecovery.issueReset(w.staff.registrar, patientId);
    await rejectsWith(
      w.identity.pinRecovery.resetWithToken({
        ssn: p.ssn,
        password: p.password,
        resetToken,
        newPin: '123456',
      }),
      'unauthenticated',
      'login_failed',
    );
    await rejectsWith(
      w.identity.pinRecovery.recover({
        ssn: p.ssn,
        password: p.password,
        dateOfBirth: p.dateOfBirth,
        recoveryCode: code,
        newPin: '123456',
      }),
      'unauthenticated',
      'login_failed',
    );
  });

  it('a disabled patient cannot enrol', async () => {
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', patientId).execute();
    await rejectsWith(activate(), 'unauthenticated', 'enrolment_code_invalid');
  });
});

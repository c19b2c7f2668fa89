import { afterEach, describe, expect, it } from 'vitest';
import {
  BASE_LOCK_MS,
  DEFAULT_PATIENT_MAX_LOCK_MS,
  MAX_FAILURES,
  MAX_LOCK_MS,
} from '../../src/app/identity/index.js';
import type { AppError } from '../../src/app/errors.js';
import { rejectsWith } from '../support/assertions.js';
import { registerEnrolled, registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';

/**
 * Issue 15, finding 4 (patient side), from the attacker's side: anyone who knows an SSN can fail
 * its logins, and the lock stays per account (it is what stops guessing one PIN from many
 * addresses), but however long they keep at it, they cannot make the real patient wait longer
 * than the cap (15 minutes by default, `MEDVAULT_PATIENT_LOCK_MAX_MINUTES`): never the staff day.
 */
describe.each(DIALECTS)('patient lockout is a bounded wait (%s)', (dialect) => {
  let w: StaffedWorld;
  afterEach(async () => {
    await w.dispose();
  });

  const open = async (settings: Record<string, string> = {}) => {
    w = await openTestWorld({ db: dialect, staff: true, settings });
    const reg = registration();
    const { patientId } = await registerEnrolled(w, w.staff.registrar, reg);
    const login = (pin = reg.pin) =>
      w.identity.patientLogin.login({ ssn: reg.ssn, pin, password: reg.password });
    const recover = () =>
      w.identity.pinRecovery.recover({
        ssn: reg.ssn,
        password: 'guessed-password-1234',
        dateOfBirth: reg.dateOfBirth,
        recoveryCode: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA',
        newPin: '123123',
      });
    return { reg, patientId, login, recover };
  };

  /**
   * The attacker fails the account, waits out each lock and fails it again, for `rounds` locks
   * (alternating login and recovery, which share the lock), trying in vain while locked too.
   * Returns every lock length they caused, in seconds.
   */
  const hammer = async (
    login: (pin?: string) => Promise<unknown>,
    recover: () => Promise<unknown>,
    rounds: number,
  ) => {
    for (let i = 0; i < MAX_FAILURES - 1; i++) await rejectsWith(login('000000'), 'unauthenticated');
    const locks: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await rejectsWith(round % 2 === 0 ? login('000000') : recover(), 'unauthenticated');
      const locked = await rejectsWith(login('000001'), 'rate_limited');
      locks.push(locked.retryAfterSeconds ?? 0);
      // Attempts while locked do not lengthen the lock.
      for (let i = 0; i < 3; i++) {
        w.clock.advance(1000);
        const again: AppError = await rejectsWith(login('000002'), 'rate_limited');
        expect(again.retryAfterSeconds).toBe(locks.at(-1)! - (i + 1));
      }
      w.clock.advance(locks.at(-1)! * 1000 - 3000);
    }
    return locks;
  };

  it('caps the back-off at 15 minutes however many rounds the attacker plays; the patient then logs in', async () => {
    const { patientId, login, recover } = await open();
    expect(DEFAULT_PATIENT_MAX_LOCK_MS).toBe(15 * 60_000);
    expect(MAX_LOCK_MS).toBe(24 * 60 * 60_000); // what the staff policy still allows (valid signatures only)
    // 30 rounds would have reached the day on the old policy (1, 2, 4, … 1440 minutes).
    const locks = await hammer(login, recover, 30);
    expect(locks.slice(0, 5)).toEqual([1, 2, 4, 8, 15].map((m) => (m * 60_000) / 1000));
    expect(Math.max(...locks)).toBe(DEFAULT_PATIENT_MAX_LOCK_MS / 1000);
    expect(locks.slice(4).every((s) => s === DEFAULT_PATIENT_MAX_LOCK_MS / 1000)).toBe(true);

    // The attacker's last failure locked the account; the real patient waits that out, no more.
    const last = await rejectsWith(login('000000'), 'unauthenticated').then(() =>
      rejectsWith(login(), 'rate_limited'),
    );
    expect(last.retryAfterSeconds).toBeLessThanOrEqual(DEFAULT_PATIENT_MAX_LOCK_MS / 1000);
    w.clock.advance(DEFAULT_PATIENT_MAX_LOCK_MS);
    expect((await login()).user.id).toBe(patientId);
  });

  it('takes its cap from MEDVAULT_PATIENT_LOCK_MAX_MINUTES', async () => {
    const { patientId, login, recover } = await open({ MEDVAULT_PATIENT_LOCK_MAX_MINUTES: '3' });
    const locks = await hammer(login, recover, 6);
    expect(locks).toEqual([1, 2, 3, 3, 3, 3].map((m) => (m * 60_000) / 1000));
    expect(BASE_LOCK_MS).toBe(60_000);
    w.clock.advance(3 * 60_000);
    expect((await login()).user.id).toBe(patientId);
  });
});

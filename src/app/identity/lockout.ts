import { withTransaction, type DbOrTx } from '../../store/database.js';
import { clearLockout, findLockout, lockLockout, saveLockout } from '../../store/lockout-repository.js';
import { rateLimited } from '../errors.js';

/** Failures allowed before an account locks. */
export const MAX_FAILURES = 5;
/** First lock lasts this long; each further failure doubles it. */
export const BASE_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 24 * 60 * 60_000;

/** Staff login attempts without a valid signature allowed per source address (issue 15, finding 4). */
export const MAX_SOURCE_FAILURES = 20;
/**
 * How long a source address is refused once over its bound, and after how long without a new
 * failure its count starts again: fixed, never escalating, so a hospital behind one NAT address
 * waits at most this long because of a noisy neighbour.
 */
export const SOURCE_LOCK_MS = 15 * 60_000;

/** How a counter locks: after `maxFailures`, for `baseLockMs` doubling per failure up to `maxLockMs`. */
export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly baseLockMs: number;
  readonly maxLockMs: number;
  /** An unlocked count idle this long starts again from zero (never, when absent). */
  readonly forgetAfterMs?: number;
}

/**
 * Per staff account: escalating up to a day, cleared only by a success. Only attempts with a valid
 * signature by a current key of the account count here, so only the key holder can escalate it.
 */
export const ACCOUNT_POLICY: LockoutPolicy = {
  maxFailures: MAX_FAILURES,
  baseLockMs: BASE_LOCK_MS,
  maxLockMs: MAX_LOCK_MS,
};

/** Longest patient lock by default (`MEDVAULT_PATIENT_LOCK_MAX_MINUTES`). */
export const DEFAULT_PATIENT_MAX_LOCK_MS = 15 * 60_000;

/**
 * Per patient account (keyed by the SSN's blind index). Patient attempts carry no key, so anyone
 * who knows an SSN can fail them: the lock stays per account — that is what stops guessing one
 * patient's PIN from many addresses — but its back-off stops at `maxLockMs` (default 15 minutes,
 * issue 15 finding 4), never the staff day. An anonymous caller can make the real patient wait at
 * most that long per lock; guessing stays at about 4 tries an hour per account past the cap, each
 * needing the password as well as the PIN (recovery and reset need it too).
 */
export function patientPolicy(maxLockMs: number = DEFAULT_PATIENT_MAX_LOCK_MS): LockoutPolicy {
  return { maxFailures: MAX_FAILURES, baseLockMs: Math.min(BASE_LOCK_MS, maxLockMs), maxLockMs };
}

/** Per source address of staff logins without a valid signature: bounded and forgetful. */
export const SOURCE_POLICY: LockoutPolicy = {
  maxFailures: MAX_SOURCE_FAILURES,
  baseLockMs: SOURCE_LOCK_MS,
  maxLockMs: SOURCE_LOCK_MS,
  forgetAfterMs: SOURCE_LOCK_MS,
};

/**
 * Per-account login lockout with exponential backoff, kept in the database so every server
 * process shares it. After 5 failures the account locks for 1 minute, then 2, 4, … up to the
 * policy's cap (a day for staff, 15 minutes for patients); while locked even a correct attempt is
 * refused, and attempts while locked do not escalate it. Online guessing of a 6-digit PIN (with
 * the password besides) thus gets about 100 tries a day per patient account: 10^6 PINs alone are
 * out of reach for years.
 *
 * An attempt is counted BEFORE its credentials are checked (`assertOpen`), and cleared only by a
 * success: checking first and counting after would let a burst of parallel guesses all pass the
 * check during the second of hashing before the first failure is written. The attempt that
 * reaches the limit also sets the lock up front, so while it is being checked every concurrent
 * attempt on the account is refused.
 *
 * The same mechanism, under {@link SOURCE_POLICY}, bounds staff login attempts without a valid
 * signature per source address (they never count against the account they name).
 */
export class Lockout {
  constructor(
    private readonly clock: () => number = Date.now,
    private readonly policy: LockoutPolicy = ACCOUNT_POLICY,
  ) {}

  private lockMs(failures: number): number {
    const p = this.policy;
    return Math.min(p.maxLockMs, p.baseLockMs * 2 ** (failures - p.maxFailures));
  }

  /**
   * Reserves one attempt on `account` (committed at once, whatever happens next), or throws 429
   * with Retry-After while the account is locked. Call before checking credentials.
   */
  async assertOpen(db: DbOrTx, account: string): Promise<void> {
    const refusal = await withTransaction(db, async (tx) => {
      const now = this.clock();
      const row = await lockLockout(tx, account, now);
      if (row.lockedUntil !== null && row.lockedUntil > now) return Math.ceil((row.lockedUntil - now) / 1000);
      const forget = this.policy.forgetAfterMs;
      const previous = forget !== undefined && now - row.updatedAt >= forget ? 0 : row.failures;
      const failures = previous + 1;
      await saveLockout(
        tx,
        account,
        { failures, lockedUntil: failures >= this.policy.maxFailures ? now + this.lockMs(failures) : null },
        now,
      );
      return null;
    });
    if (refusal !== null) throw rateLimited(refusal, 'Too many failed attempts. Try again later.');
  }

  /**
   * The reserved attempt failed. Returns whether the account is now locked (the caller writes an
   * account.locked ledger entry) and for how long.
   */
  async recordFailure(db: DbOrTx, account: string): Promise<{ locked: boolean; retryAfterSeconds: number }> {
    const row = await findLockout(db, account);
    const now = this.clock();
    if (row?.lockedUntil == null || row.lockedUntil <= now) return { locked: false, retryAfterSeconds: 0 };
    return { locked: true, retryAfterSeconds: Math.ceil((row.lockedUntil - now) / 1000) };
  }

  /** The reserved attempt succeeded: forget every failure and any lock. */
  async recordSuccess(db: DbOrTx, account: string): Promise<void> {
    await clearLockout(db, account);
  }
}

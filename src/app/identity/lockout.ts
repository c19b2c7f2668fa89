import type { DbOrTx } from '../../store/database.js';
import { clearLockout, findLockout, saveLockout } from '../../store/lockout-repository.js';
import { rateLimited } from '../errors.js';

/** Failures allowed before an account locks. */
export const MAX_FAILURES = 5;
/** First lock lasts this long; each further failure while over the limit doubles it. */
export const BASE_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 24 * 60 * 60_000;

/**
 * Per-account login lockout with exponential backoff, kept in the database so every server
 * process shares it. After 5 failures the account locks for 1 minute, then 2, 4, … up to a
 * day; while locked even a correct attempt is refused. Online guessing of a 6-digit PIN thus
 * gets about 5 tries a day per account once the backoff is long: 10^6 PINs are out of reach.
 */
export class Lockout {
  constructor(private readonly clock: () => number = Date.now) {}

  /** Throws 429 (with Retry-After) while `account` is locked. Call before checking credentials. */
  async assertOpen(db: DbOrTx, account: string): Promise<void> {
    const row = await findLockout(db, account);
    const now = this.clock();
    if (row?.lockedUntil != null && row.lockedUntil > now) {
      throw rateLimited(
        Math.ceil((row.lockedUntil - now) / 1000),
        'Too many failed attempts. Try again later.',
      );
    }
  }

  /**
   * Counts a failure; returns true when this failure locked the account (the caller writes an
   * account.locked ledger entry).
   */
  async recordFailure(db: DbOrTx, account: string): Promise<{ locked: boolean; retryAfterSeconds: number }> {
    const now = this.clock();
    const failures = ((await findLockout(db, account))?.failures ?? 0) + 1;
    if (failures < MAX_FAILURES) {
      await saveLockout(db, account, { failures, lockedUntil: null }, now);
      return { locked: false, retryAfterSeconds: 0 };
    }
    const lockMs = Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (failures - MAX_FAILURES));
    await saveLockout(db, account, { failures, lockedUntil: now + lockMs }, now);
    return { locked: true, retryAfterSeconds: Math.ceil(lockMs / 1000) };
  }

  /** Forgets failures after a successful login. */
  async recordSuccess(db: DbOrTx, account: string): Promise<void> {
    await clearLockout(db, account);
  }
}

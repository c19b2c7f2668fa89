import { withTransaction, type DbOrTx } from '../../store/database.js';
import { clearLockout, findLockout, lockLockout, saveLockout } from '../../store/lockout-repository.js';
import { rateLimited } from '../errors.js';

/** Failures allowed before an account locks. */
export const MAX_FAILURES = 5;
/** First lock lasts this long; each further failure doubles it. */
export const BASE_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 24 * 60 * 60_000;

const lockMs = (failures: number): number =>
  Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (failures - MAX_FAILURES));

/**
 * Per-account login lockout with exponential backoff, kept in the database so every server
 * process shares it. After 5 failures the account locks for 1 minute, then 2, 4, … up to a
 * day; while locked even a correct attempt is refused. Online guessing of a 6-digit PIN thus
 * gets a handful of tries a day per account once the backoff is long: 10^6 PINs are out of reach.
 *
 * An attempt is counted BEFORE its credentials are checked (`assertOpen`), and cleared only by a
 * success: checking first and counting after would let a burst of parallel guesses all pass the
 * check during the second of hashing before the first failure is written. The attempt that
 * reaches the limit also sets the lock up front, so while it is being checked every concurrent
 * attempt on the account is refused.
 */
export class Lockout {
  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * Reserves one attempt on `account` (committed at once, whatever happens next), or throws 429
   * with Retry-After while the account is locked. Call before checking credentials.
   */
  async assertOpen(db: DbOrTx, account: string): Promise<void> {
    const refusal = await withTransaction(db, async (tx) => {
      const now = this.clock();
      const row = await lockLockout(tx, account, now);
      if (row.lockedUntil !== null && row.lockedUntil > now) return Math.ceil((row.lockedUntil - now) / 1000);
      const failures = row.failures + 1;
      await saveLockout(
        tx,
        account,
        { failures, lockedUntil: failures >= MAX_FAILURES ? now + lockMs(failures) : null },
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

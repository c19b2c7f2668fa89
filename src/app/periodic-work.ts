import type { LeaderLock } from '../store/leader-lock.js';
import { deleteExpiredChallenges } from '../store/challenge-repository.js';
import type { Db } from '../store/database.js';
import { deleteEndedSessions } from '../store/session-repository.js';
import type { AutoCheckpoints } from './audit/index.js';
import type { IdempotentCreates } from './idempotency/index.js';

/** How often the owner cleans up (expired sessions, challenges, idempotency keys). */
const CLEANUP_EVERY_MS = 10 * 60_000;
/** Revoked sessions are kept this long (an admin may still look at them). */
const KEEP_REVOKED_MS = 24 * 3_600_000;

export interface PeriodicWorkDeps {
  readonly db: Db;
  /** PostgreSQL: an advisory lock on a dedicated connection; SQLite: always held. */
  readonly lock: LeaderLock;
  readonly checkpoints: AutoCheckpoints;
  readonly idempotency: IdempotentCreates;
  readonly clock: () => number;
}

/**
 * The work a cluster does once, not once per server (issue 17): signing checkpoints and cleaning
 * up expired sessions, login challenges and idempotency keys. One process owns it, chosen by a
 * PostgreSQL advisory lock: every `pollMs` each server tries the lock (the owner checks it still
 * has it); the owner runs the work, the others wait. When the owner dies its database session ends,
 * the lock is free, and another server takes over within one poll (plus PostgreSQL noticing the
 * dead connection: immediate for a process that exits, TCP keepalive for a vanished host).
 * Started by `medvault serve`; on SQLite the one process always owns it.
 */
export class PeriodicWork {
  #timer: NodeJS.Timeout | undefined;
  #owner = false;
  #lastCleanup = 0;
  #report: (line: string) => void = () => undefined;
  #pollMs = 5_000;
  #checkpointPollMs: number | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PeriodicWorkDeps) {}

  /** Whether this process owns the periodic work right now. */
  get owner(): boolean {
    return this.#owner;
  }

  start(options: { report?: (line: string) => void; pollMs?: number; checkpointPollMs?: number } = {}): void {
    if (this.#timer !== undefined) return;
    this.#report = options.report ?? this.#report;
    this.#pollMs = options.pollMs ?? this.#pollMs;
    this.#checkpointPollMs = options.checkpointPollMs;
    const tick = (): void => {
      this.#running = this.#running.then(() => this.#tick()).catch(() => undefined);
    };
    this.#timer = setInterval(tick, this.#pollMs);
    this.#timer.unref();
    tick();
  }

  /** Stops: the owner signs a last checkpoint (AutoCheckpoints.stop) and gives the lock up. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    if (this.#owner) await this.deps.checkpoints.stop();
    this.#owner = false;
    await this.deps.lock.release();
  }

  async #tick(): Promise<void> {
    const held = await this.deps.lock.hold();
    if (held && !this.#owner) {
      this.#owner = true;
      this.#report('medvault: this server now owns the periodic work (checkpoints, clean-up)');
      this.deps.checkpoints.start({
        report: this.#report,
        ...(this.#checkpointPollMs === undefined ? {} : { pollMs: this.#checkpointPollMs }),
      });
    } else if (!held && this.#owner) {
      this.#owner = false;
      this.#report('medvault: this server lost the periodic work to another (its database session ended)');
      await this.deps.checkpoints.stop();
    }
    if (this.#owner && this.deps.clock() - this.#lastCleanup >= CLEANUP_EVERY_MS) {
      await this.#cleanup().catch((err: unknown) =>
        this.#report(`medvault: clean-up failed: ${(err as Error).message}`),
      );
    }
  }

  async #cleanup(): Promise<void> {
    const now = this.deps.clock();
    this.#lastCleanup = now;
    await deleteExpiredChallenges(this.deps.db, now);
    await deleteEndedSessions(this.deps.db, now, now - KEEP_REVOKED_MS);
    await this.deps.idempotency.forgetOld(now);
  }
}

import { performance } from 'node:perf_hooks';
import { credentialQueueFull } from '../errors.js';

/** How many credential hashes may run at once, and how many more may wait for a turn. */
export interface HashPoolLimits {
  /** Hashes running at once (argon2id on libuv's threadpool); at least 1. */
  readonly concurrency: number;
  /** Hashes admitted beyond those running, waiting their turn; 0 refuses whatever cannot run now. */
  readonly queue: number;
}

/** What the pool holds now (for tests, benchmarks and logs). */
export interface HashPoolStats {
  readonly running: number;
  readonly waiting: number;
  /** Units admitted and not yet finished or released: running + waiting + held by an attempt. */
  readonly admitted: number;
}

/** The first estimate of one hash's duration, before any was measured (46 MiB argon2id here). */
const INITIAL_HASH_MS = 250;
/** Weight of the newest duration in the running average. */
const AVERAGE_WEIGHT = 0.2;

/**
 * A bounded admission queue in front of argon2id (issue 15, finding 3). The `argon2` binding
 * already runs each hash on libuv's threadpool, off the event loop, but queues without bound: a
 * flood of unknown-SSN logins once held seconds of hashing in the queue, so every login, and
 * every other user of the threadpool, waited behind it.
 *
 * Here at most `concurrency` hashes run at once and at most `queue` more wait. An attempt asks
 * for all the hashes it may need at once ({@link admit}) BEFORE it touches anything: refused, it
 * answers 503 `credential_queue_full` with Retry-After at once, having checked, counted and
 * written nothing, so a refusal is neither a guess nor a lockout step. Admitted, it can no longer
 * be refused halfway (its second hash is already reserved).
 */
export class HashPool {
  private running = 0;
  private admitted = 0;
  private readonly waiting: (() => void)[] = [];
  private averageMs = INITIAL_HASH_MS;

  constructor(private readonly limits: HashPoolLimits) {
    if (!Number.isSafeInteger(limits.concurrency) || limits.concurrency < 1)
      throw new RangeError('hash pool concurrency must be a whole number ≥ 1');
    if (!Number.isSafeInteger(limits.queue) || limits.queue < 0)
      throw new RangeError('hash pool queue must be a whole number ≥ 0');
  }

  /**
   * Reserves `units` hashes for one attempt, or refuses at once.
   * @throws AppError credential_queue_full (503, Retry-After) when they would overflow the queue.
   */
  admit(units: number): HashTicket {
    const { concurrency, queue } = this.limits;
    if (this.admitted + units > concurrency + queue) throw credentialQueueFull(this.retryAfterSeconds());
    this.admitted += units;
    return new HashTicket(this, units);
  }

  stats(): HashPoolStats {
    return { running: this.running, waiting: this.waiting.length, admitted: this.admitted };
  }

  /** About when the work admitted now will have drained: what a refused caller should wait. */
  private retryAfterSeconds(): number {
    const rounds = Math.ceil(this.admitted / this.limits.concurrency);
    return Math.max(1, Math.ceil((rounds * this.averageMs) / 1000));
  }

  /** Runs one admitted unit of work when a slot is free. Only a {@link HashTicket} calls this. */
  async runAdmitted<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.concurrency) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    const started = performance.now();
    try {
      return await work();
    } finally {
      const took = performance.now() - started;
      this.averageMs += AVERAGE_WEIGHT * (took - this.averageMs);
      this.admitted--;
      // The slot passes straight to the next waiter (running stays the same), else frees.
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.running--;
    }
  }

  /** Gives back admitted units that were not used. Only a {@link HashTicket} calls this. */
  releaseAdmitted(units: number): void {
    this.admitted -= units;
  }
}

/**
 * The hashes one attempt was admitted for. Each {@link run} spends one; {@link release} (call it
 * in a `finally`) gives back the rest, e.g. the new-PIN hash of a recovery that failed.
 */
export class HashTicket {
  constructor(
    private readonly pool: HashPool,
    private left: number,
  ) {}

  /** Runs one hash of this attempt when a slot is free. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.left <= 0) throw new Error('hash ticket spent: admit as many hashes as the attempt runs');
    this.left--;
    return this.pool.runAdmitted(work);
  }

  release(): void {
    this.pool.releaseAdmitted(this.left);
    this.left = 0;
  }
}

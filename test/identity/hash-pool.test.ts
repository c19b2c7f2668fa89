import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import { HashPool } from '../../src/app/identity/hash-pool.js';

/** A unit of work the test finishes by hand. */
function gate(): { work: () => Promise<void>; open: () => void; started: () => boolean } {
  let open = (): void => {};
  let started = false;
  const done = new Promise<void>((resolve) => (open = resolve));
  return {
    work: () => {
      started = true;
      return done;
    },
    open: () => open(),
    started: () => started,
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('HashPool', () => {
  it('runs at most `concurrency` hashes at once; the rest wait their turn in order', async () => {
    const pool = new HashPool({ concurrency: 2, queue: 2 });
    const gates = [gate(), gate(), gate(), gate()];
    const runs = gates.map((g) => pool.admit(1).run(g.work));
    await tick();
    expect(gates.map((g) => g.started())).toEqual([true, true, false, false]);
    expect(pool.stats()).toEqual({ running: 2, waiting: 2, admitted: 4 });
    gates[1]!.open();
    await tick();
    expect(gates.map((g) => g.started())).toEqual([true, true, true, false]);
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(pool.stats()).toEqual({ running: 0, waiting: 0, admitted: 0 });
  });

  it('refuses at once, with a Retry-After, what would overflow the queue, and admits an attempt whole or not at all', async () => {
    const pool = new HashPool({ concurrency: 1, queue: 2 });
    const first = gate();
    const ticket = pool.admit(2);
    const run = ticket.run(first.work);
    // concurrency + queue = 3 units: one more fits, so an attempt of two is refused whole.
    const refused = (() => {
      try {
        pool.admit(2);
        return undefined;
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('credential_queue_full');
    expect((refused as AppError).kind).toBe('unavailable');
    expect((refused as AppError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(pool.stats().admitted).toBe(2);
    const single = pool.admit(1);
    expect(() => pool.admit(1)).toThrow(AppError);
    single.release();
    first.open();
    await run;
    // The unused second unit of the attempt goes back when it is released.
    expect(pool.stats().admitted).toBe(1);
    ticket.release();
    expect(pool.stats()).toEqual({ running: 0, waiting: 0, admitted: 0 });
  });

  it('refuses to run more hashes than a ticket was admitted for', () => {
    const pool = new HashPool({ concurrency: 1, queue: 0 });
    const ticket = pool.admit(1);
    void ticket.run(() => Promise.resolve());
    expect(() => ticket.run(() => Promise.resolve())).toThrow(/spent/);
  });

  it('frees the slot when a hash fails', async () => {
    const pool = new HashPool({ concurrency: 1, queue: 0 });
    await expect(pool.admit(1).run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(pool.stats()).toEqual({ running: 0, waiting: 0, admitted: 0 });
    await pool.admit(1).run(() => Promise.resolve());
  });
});

/**
 * Group commit for standalone ledger appends (those not part of another action's transaction,
 * such as the `record.read` entry of a read): appends that arrive while a group is being written
 * wait, and are then written together in ONE transaction — on PostgreSQL under one hold of the
 * head lock, on SQLite under one write lock and one WAL commit — instead of one transaction each.
 *
 * Durability is per caller: a caller's promise settles only after the transaction holding ITS
 * entries has committed (or failed), so an answer that depends on an entry (a read is never
 * answered before its entry exists) still waits for that entry's commit. A failed group fails
 * every caller in it; nothing is retried behind the callers' backs.
 *
 * Appends made inside a caller's transaction never come here: they must commit or roll back with
 * the action they record.
 */
import type { Db, Tx } from '../../store/database.js';
import { withTransaction } from '../../store/database.js';

/** One caller's share of a group: its items, in order, and how to answer it. */
interface Waiter<I, R> {
  readonly items: readonly I[];
  readonly resolve: (results: R[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Per database handle: who waits, and whether a group is being written. */
interface Lane<I, R> {
  queue: Array<Waiter<I, R>>;
  busy: boolean;
}

/** Groups and entries written so far (tests and the bench read it). */
export interface GroupCommitStats {
  groups: number;
  items: number;
  /** The largest group, in items. */
  largest: number;
}

/**
 * Writes what arrives together as one transaction. `write` gets the items of every caller of the
 * group, in arrival order, and must answer one result per item in the same order.
 */
export class GroupCommit<I, R> {
  readonly #lanes = new WeakMap<Db, Lane<I, R>>();
  readonly stats: GroupCommitStats = { groups: 0, items: 0, largest: 0 };

  /**
   * @param write writes one group inside the transaction it is given.
   * @param maxItems items per transaction at most (a caller's items are never split, so a
   *   group holds more only when a single caller brings more).
   */
  constructor(
    private readonly write: (tx: Tx, items: readonly I[]) => Promise<R[]>,
    private readonly maxItems = 2000,
  ) {}

  /** Queues `items` for the next group on `db`; settles once that group has committed. */
  submit(db: Db, items: readonly I[]): Promise<R[]> {
    let lane = this.#lanes.get(db);
    if (lane === undefined) {
      lane = { queue: [], busy: false };
      this.#lanes.set(db, lane);
    }
    const l = lane;
    return new Promise<R[]>((resolve, reject) => {
      l.queue.push({ items, resolve, reject });
      if (!l.busy) {
        l.busy = true;
        // One turn of the event loop first, so appends started by the same burst of I/O share
        // the first group too rather than only the ones after it.
        setImmediate(() => void this.#drain(db, l));
      }
    });
  }

  /** Writes groups until nobody waits. Never rejects: each group's outcome goes to its callers. */
  async #drain(db: Db, lane: Lane<I, R>): Promise<void> {
    try {
      while (lane.queue.length > 0) {
        const group = takeGroup(lane.queue, this.maxItems);
        const items = group.flatMap((w) => w.items);
        let results: R[];
        try {
          results = await withTransaction(db, (tx) => this.write(tx, items));
        } catch (error) {
          for (const w of group) w.reject(error);
          continue;
        }
        this.stats.groups++;
        this.stats.items += items.length;
        this.stats.largest = Math.max(this.stats.largest, items.length);
        let at = 0;
        for (const w of group) {
          w.resolve(results.slice(at, at + w.items.length));
          at += w.items.length;
        }
      }
    } finally {
      lane.busy = false;
    }
  }
}

/** Removes and returns the waiters of the next group: at least one, then up to `max` items. */
function takeGroup<I, R>(queue: Array<Waiter<I, R>>, max: number): Array<Waiter<I, R>> {
  let n = 0;
  let count = 0;
  while (n < queue.length && (n === 0 || count + queue[n]!.items.length <= max)) {
    count += queue[n]!.items.length;
    n++;
  }
  return queue.splice(0, n);
}

import pg from 'pg';

/**
 * One process of a cluster holding a named role (periodic work): a PostgreSQL session-level
 * advisory lock (`pg_try_advisory_lock`) on a DEDICATED connection, never a pooled one — the lock
 * belongs to the session, so it lasts exactly as long as that connection. When the holder dies
 * (kill -9, crash, network cut), PostgreSQL ends its session and frees the lock; another process
 * takes it on its next try.
 */
export interface LeaderLock {
  /** Tries to become (or checks it still is) the holder; false when another process holds it. */
  hold(): Promise<boolean>;
  /** Gives the role up (closes the connection). */
  release(): Promise<void>;
}

/** SQLite: one process is all there is; it always holds the role. */
export const soleLeader: LeaderLock = { hold: async () => true, release: async () => undefined };

/** Advisory lock ids are bigints; MedVault's: "MV" + a role number. */
export const LOCK_IDS = { periodicWork: 0x4d56_0001 } as const;

export class PostgresLeaderLock implements LeaderLock {
  #client: pg.Client | undefined;
  #held = false;

  constructor(
    private readonly url: string,
    private readonly lockId: number,
  ) {}

  async hold(): Promise<boolean> {
    try {
      if (this.#client === undefined) {
        const client = new pg.Client({ connectionString: this.url });
        // A lost connection is a lost role: seen by the next hold(), never fatal.
        client.on('error', () => this.#drop(client));
        client.on('end', () => this.#drop(client));
        await client.connect();
        this.#client = client;
        this.#held = false;
      }
      if (this.#held) {
        // Still ours while the session is alive: a round trip proves it.
        await this.#client.query('select 1');
        return true;
      }
      const r = await this.#client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
        this.lockId,
      ]);
      this.#held = r.rows[0]?.ok === true;
      return this.#held;
    } catch {
      const client = this.#client;
      if (client !== undefined) this.#drop(client);
      await client?.end().catch(() => undefined);
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.#client;
    if (client === undefined) return;
    this.#drop(client);
    // Closing the session frees the lock.
    await client.end().catch(() => undefined);
  }

  #drop(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#held = false;
  }
}

import { Gauge, type Registry } from 'prom-client';
import type { AppContext } from '../app/context.js';
import type { RateLimitSharing } from './rate-limit.js';

/**
 * The application's gauges, read when Prometheus scrapes (nothing on the request path): the
 * ledger's size and the age and size of its last signed checkpoint, whether the database answers,
 * the PostgreSQL pool's use, the credential hashing queue (src/app/identity/hash-pool.ts), and
 * whether rate limits are being counted in Redis. Counts and ages only: nothing about a person.
 */
export function watchApp(registry: Registry, ctx: AppContext, rateLimitsShared: RateLimitSharing): void {
  const registers = [registry];
  const { db } = ctx.store;
  const ledger = ctx.audit.ledger;

  new Gauge({
    name: 'medvault_database_up',
    help: '1 when the database answered the scrape, 0 when it did not.',
    registers,
    async collect() {
      this.set(
        await ctx.store.ping().then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
  new Gauge({
    name: 'medvault_ledger_entries',
    help: 'Entries in the audit ledger (its tree size).',
    registers,
    async collect() {
      await ledger.size(db).then(
        (size) => this.set(size),
        () => undefined,
      );
    },
  });
  const checkpointSize = new Gauge({
    name: 'medvault_ledger_last_checkpoint_entries',
    help: 'Tree size of the last signed checkpoint (ledger entries minus this: not yet checkpointed).',
    registers,
  });
  new Gauge({
    name: 'medvault_ledger_last_checkpoint_age_seconds',
    help: 'Seconds since the last checkpoint was signed (absent before the first).',
    registers,
    async collect() {
      const last = await ledger.latestCheckpoint(db).catch(() => undefined);
      if (last === undefined || last === null) return;
      this.set(Math.max(0, (Date.now() - last.createdAt) / 1000));
      checkpointSize.set(last.treeSize);
    },
  });

  const pool = ctx.store.poolStats;
  if (pool !== undefined) {
    new Gauge({
      name: 'medvault_db_pool_connections',
      help: 'PostgreSQL pool connections by state (open, idle) and its maximum.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const s = pool();
        this.set({ state: 'open' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'max' }, s.max);
      },
    });
    new Gauge({
      name: 'medvault_db_pool_waiting',
      help: 'Queries waiting for a PostgreSQL pool connection.',
      registers,
      collect() {
        this.set(pool().waiting);
      },
    });
  }

  const hashPool = ctx.identity.hashPool;
  new Gauge({
    name: 'medvault_hash_pool',
    help: 'Password/PIN hashes running, waiting for a slot, and admitted (running + waiting + reserved).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const s = hashPool.stats();
      this.set({ state: 'running' }, s.running);
      this.set({ state: 'waiting' }, s.waiting);
      this.set({ state: 'admitted' }, s.admitted);
    },
  });
  new Gauge({
    name: 'medvault_rate_limit_shared',
    help: '1 while rate limits are counted in Redis (across servers), 0 while per process.',
    registers,
    collect() {
      this.set(rateLimitsShared() ? 1 : 0);
    },
  });
}

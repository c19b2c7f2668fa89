import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DialectName } from '../../src/store/database.js';
import { openLedger, openSecondServer, rows, type LedgerFixture } from './ledger-helpers.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { DIALECTS } from '../support/stores.js';
import { ROOT } from '../support/cli.js';

/** Per dialect: entries per server process, and concurrent appenders within each. */
const LOAD: Record<DialectName, { perServer: number; writers: number }> = {
  postgres: { perServer: 2000, writers: 4 },
  sqlite: { perServer: 1000, writers: 4 },
};
const WORKER = path.join(ROOT, 'test/audit/append-worker.ts');

/**
 * Runs one stand-in server process (./append-worker.ts): resolves `ready` once it has opened its
 * store and waits at the start barrier, and `done` with the seqs it was given after `go()`.
 */
function server(
  f: LedgerFixture,
  tag: string,
  count: number,
  writers: number,
  grouped = false,
): { ready: Promise<void>; go: () => void; done: Promise<number[]> } {
  const args = JSON.stringify({
    dataDir: f.t.dataDir,
    databaseUrl: f.t.databaseUrl,
    masterKey: TEST_MASTER_KEY_B64,
    count,
    writers,
    tag,
    grouped,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, args], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const ready = new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('ready\n')) resolve();
    });
  });
  const done = new Promise<number[]>((resolve, reject) => {
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as number[])
        : reject(new Error(`worker ${tag} exited ${code}: ${err}`)),
    );
  });
  return {
    ready: Promise.race([ready, done.then(() => undefined)]),
    go: () => child.stdin.end('go\n'),
    done,
  };
}

describe.each(DIALECTS)('concurrent appends from two server processes on %s', (dialect) => {
  let f: LedgerFixture;
  afterEach(async () => f?.t.dispose());

  it('two processes appending at once, several writers each, produce one contiguous valid log', async () => {
    const { perServer, writers } = LOAD[dialect];
    f = await openLedger(dialect);
    const servers = [server(f, 'a', perServer, writers), server(f, 'b', perServer, writers)];
    await Promise.all(servers.map((s) => s.ready));
    for (const s of servers) s.go();
    const [a = [], b = []] = await Promise.all(servers.map((s) => s.done));
    const total = 2 * perServer;
    // Every append got its own seq, and together they are exactly 0..total−1: no gap, no reuse.
    expect(a).toHaveLength(perServer);
    expect(new Set([...a, ...b]).size).toBe(total);
    const stored = await rows(f.db);
    expect(stored.map((r) => Number(r.seq))).toEqual([...Array(total).keys()]);
    expect(new Set(stored.map((r) => r.target_id)).size).toBe(total);
    // On PostgreSQL the two servers interleave rather than one running after the other. SQLite's
    // busy handler is not fair: under load one process may keep the write lock through all its
    // appends while the other sleeps (seen on CI once), so there only the log's shape is checked.
    if (dialect === 'postgres') {
      const firstB = stored.findIndex((r) => r.target_id?.startsWith('b-'));
      const lastA = stored.findLastIndex((r) => r.target_id?.startsWith('a-'));
      const firstA = stored.findIndex((r) => r.target_id?.startsWith('a-'));
      const lastB = stored.findLastIndex((r) => r.target_id?.startsWith('b-'));
      expect(firstB < lastA && firstA < lastB).toBe(true);
    }
    expect(await f.ledger.verify(f.db)).toMatchObject({ ok: true, size: total });
    // Any server signs the same head of the one log.
    const second = await openSecondServer(f);
    try {
      const cp1 = await f.ledger.checkpoint(f.db);
      const cp2 = await second.ledger.checkpoint(second.store.db);
      expect([cp2.treeSize, cp2.root]).toEqual([total, cp1.root]);
    } finally {
      await second.store.close();
    }
  }, 180_000);

  it('two processes appending in groups (group commit, 32 appenders each) never fork the log', async () => {
    const { perServer } = LOAD[dialect];
    f = await openLedger(dialect);
    const servers = [server(f, 'a', perServer, 32, true), server(f, 'b', perServer, 32, true)];
    await Promise.all(servers.map((s) => s.ready));
    for (const s of servers) s.go();
    const [a = [], b = []] = await Promise.all(servers.map((s) => s.done));
    const total = 2 * perServer;
    // Sizes add up: every append got its own seq, exactly 0..total−1, each target once.
    expect([a.length, b.length]).toEqual([perServer, perServer]);
    expect(new Set([...a, ...b]).size).toBe(total);
    const stored = await rows(f.db);
    expect(stored.map((r) => Number(r.seq))).toEqual([...Array(total).keys()]);
    expect(new Set(stored.map((r) => r.target_id)).size).toBe(total);
    // Each server's groups are contiguous runs; the two servers' runs interleave.
    const runs = stored.filter((r, i) => i === 0 || r.target_id![0] !== stored[i - 1]!.target_id![0]).length;
    expect(runs).toBeGreaterThan(2);
    expect(runs).toBeLessThan(total / 2);
    expect(await f.ledger.verify(f.db)).toMatchObject({ ok: true, size: total });
    expect(await f.ledger.size(f.db)).toBe(total);
  }, 180_000);
});

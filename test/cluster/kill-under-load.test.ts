import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedgerHead } from '../../src/store/ledger-repository.js';
import { world, type World } from '../records/attachment-helpers.js';
import { spawnCli, waitForOutput } from '../support/cli.js';
import { startTestCluster, type TestCluster } from '../support/cluster.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { PG_URL, tempDir } from '../support/stores.js';

/** Concurrent clients writing while one server is killed. */
const CLIENTS = 4;
/** How long the load runs before, and after, the kill -9. */
const BEFORE_KILL_MS = 1_500;
const AFTER_KILL_MS = 1_500;

interface Serve {
  readonly child: ChildProcess;
  readonly url: string;
  readonly dataDir: string;
}

/** `medvault serve` as its own process on the cluster's schema, with a data folder of its own. */
async function serve(databaseUrl: string, dataDir = tempDir()): Promise<Serve> {
  const child = spawnCli(['serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], {
    MEDVAULT_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64,
    MEDVAULT_CREDENTIAL_RATE_LIMIT: '100000',
  });
  const out = await waitForOutput(child, /listening on (http:\/\/\S+)/, 60_000);
  return { child, url: /listening on (http:\/\/\S+)/.exec(out)![1]!, dataDir };
}

async function stop(s: Serve | undefined): Promise<void> {
  if (s === undefined || s.child.exitCode !== null || s.child.signalCode !== null) return;
  const closed = new Promise((resolve) => s.child.once('close', resolve));
  s.child.kill('SIGKILL');
  await closed;
}

interface Write {
  readonly text: string;
  readonly status: number;
  readonly id?: string;
}

const note = (text: string): unknown => ({
  type: 'clinical_note',
  title: `Visit ${text}`,
  body: { text: `Patient note ${text}` },
});

async function write(url: string, w: World, text: string): Promise<Write> {
  try {
    const res = await fetch(`${url}/api/v1/patients/${w.p}/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.tokens.doctor}`, 'content-type': 'application/json' },
      body: JSON.stringify(note(text)),
    });
    const body = (await res.json()) as { id?: string };
    return { text, status: res.status, ...(typeof body.id === 'string' ? { id: body.id } : {}) };
  } catch {
    // The connection died with the process: nothing was acknowledged.
    return { text, status: 0 };
  }
}

/**
 * Issue 17, "Beyond one machine": two `medvault serve` processes on one PostgreSQL schema take a
 * write load; one is killed with SIGKILL in the middle of it. Every write that was acknowledged
 * (2xx) must read back, decrypted and equal, through the survivor; the ledger must verify, with
 * one head (no fork); the killed server must come back and serve.
 */
describe.runIf(PG_URL)('kill -9 of one server under a write load (postgres)', () => {
  let cluster: TestCluster;
  let w: World;
  const procs: Serve[] = [];

  beforeAll(async () => {
    // The in-process server migrates the schema, creates the keyring and sets up the people.
    cluster = await startTestCluster(1);
    w = await world(cluster.servers[0]!);
    // Both at once (the schema is migrated): most of the time is tsx loading the sources.
    procs.push(...(await Promise.all([serve(cluster.databaseUrl), serve(cluster.databaseUrl)])));
  }, 90_000);
  afterAll(async () => {
    for (const p of procs) {
      await stop(p);
      fs.rmSync(p.dataDir, { recursive: true, force: true });
    }
    await cluster?.close();
  });

  it('loses no acknowledged write, keeps one verifiable ledger, and the killed server restarts', async () => {
    const [a, b] = procs as [Serve, Serve];
    const writes: Write[] = [];
    let running = true;
    const client = async (n: number): Promise<void> => {
      for (let i = 0; running; i++) {
        const url = (i + n) % 2 === 0 ? a.url : b.url;
        writes.push(await write(url, w, `${n}-${i}-${randomUUID()}`));
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    await new Promise((r) => setTimeout(r, BEFORE_KILL_MS));
    const killed = new Promise((resolve) => a.child.once('close', resolve));
    a.child.kill('SIGKILL');
    await killed;
    const acknowledgedAtKill = writes.filter((x) => x.status === 201).length;
    await new Promise((r) => setTimeout(r, AFTER_KILL_MS));
    running = false;
    await load;

    const acknowledged = writes.filter((x) => x.status >= 200 && x.status < 300);
    process.stdout.write(
      `kill -9 under load: ${writes.length} writes, ${acknowledged.length} acknowledged ` +
        `(${acknowledgedAtKill} before the kill), ${writes.filter((x) => x.status === 0).length} cut\n`,
    );
    // Whatever the survivor answered is a success or a clear refusal, never a 500.
    expect(writes.filter((x) => x.status >= 500)).toEqual([]);
    expect(acknowledgedAtKill).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(acknowledgedAtKill);

    // Every acknowledged write reads back, decrypted and equal, through the survivor.
    for (const x of acknowledged) {
      const res = await fetch(`${b.url}/api/v1/records/${x.id}`, {
        headers: { authorization: `Bearer ${w.tokens.doctor}` },
      });
      expect(res.status, x.text).toBe(200);
      const view = (await res.json()) as { title: string; body: unknown; type: string };
      const sent = note(x.text) as { title: string; body: unknown; type: string };
      expect({ type: view.type, title: view.title, body: view.body }).toEqual(sent);
    }

    // Every record in the database has its ledger entry (none half written by the dead process).
    const app = cluster.servers[0]!.app;
    const db = app.store.db;
    const records = await db.selectFrom('records').select('id').where('patient_id', '=', w.p).execute();
    const created = await db
      .selectFrom('ledger_entries')
      .select('target_id')
      .where('action', '=', 'record.create')
      .where('patient_id', '=', w.p)
      .execute();
    const logged = new Set(created.map((r) => r.target_id));
    expect(records.filter((r) => !logged.has(r.id) && r.id !== w.record)).toEqual([]);

    // One head: no two entries claim the same predecessor, and the head counts every entry.
    const { rows } = await sql<{ n: number | string; chained: number | string }>`
      select count(*) as n, count(distinct prev_hash) as chained from ledger_entries`.execute(db);
    const counts = rows[0]!;
    expect(Number(counts.chained)).toBe(Number(counts.n));
    expect((await readLedgerHead(db)).size).toBe(Number(counts.n));
    const report = await app.audit.verification.verify();
    expect(report.ok, JSON.stringify(report)).toBe(true);

    // The killed server comes back (same data folder) and serves: a write through it reads back
    // through the other.
    const again = await serve(cluster.databaseUrl, a.dataDir);
    procs.push(again);
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    const after = await write(again.url, w, `after-restart-${randomUUID()}`);
    expect(after.status).toBe(201);
    const back = await fetch(`${b.url}/api/v1/records/${after.id}`, {
      headers: { authorization: `Bearer ${w.tokens.doctor}` },
    });
    expect(back.status).toBe(200);
    expect((await app.audit.verification.verify()).ok).toBe(true);
  }, 120_000);
});

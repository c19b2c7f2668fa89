import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { createTestStore, PG_URL, tempDir, type TestStore } from '../support/stores.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'test/cluster/periodic-worker.ts');
/** The takeover bound: one poll (200 ms) once PostgreSQL has ended the dead owner's session. */
const TAKEOVER_MS = 5_000;

interface Worker {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly ready: Promise<void>;
}

function worker(databaseUrl: string): Worker {
  const args = JSON.stringify({ dataDir: tempDir(), databaseUrl, masterKey: TEST_MASTER_KEY_B64 });
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, args], { cwd: ROOT });
  const lines: string[] = [];
  child.stdout?.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  const ready = new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('ready\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
  return { child, lines, ready };
}

const owns = (w: Worker): boolean =>
  w.lines.filter((l) => l.includes('now owns')).length > w.lines.filter((l) => l.includes('lost')).length;

async function until(check: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

describe.runIf(PG_URL)('periodic work on two server processes (postgres)', () => {
  let schema: TestStore;
  const workers: Worker[] = [];

  beforeAll(async () => {
    schema = await createTestStore('postgres');
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await schema?.dispose();
  });

  it('exactly one process owns it; kill -9 of the owner moves it to the other within the bound', async () => {
    const url = schema.databaseUrl ?? '';
    const a = worker(url);
    workers.push(a);
    await a.ready;
    const b = worker(url);
    workers.push(b);
    await b.ready;
    await until(() => owns(a) || owns(b), TAKEOVER_MS);
    // Several polls later, still exactly one.
    await new Promise((r) => setTimeout(r, 1_000));
    expect([owns(a), owns(b)].filter(Boolean)).toHaveLength(1);
    const [owner, other] = owns(a) ? [a, b] : [b, a];
    owner.child.kill('SIGKILL');
    const took = await until(() => owns(other), TAKEOVER_MS);
    process.stdout.write(`periodic work taken over ${took} ms after kill -9 of its owner\n`);
    expect(took).toBeLessThan(TAKEOVER_MS);
  }, 60_000);
});

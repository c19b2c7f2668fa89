import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, withTransaction } from '../../src/store/database.js';
import { mapError } from '../../src/http/error-mapper.js';
import { world, type World } from '../records/attachment-helpers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { tempDir } from '../support/stores.js';

/** Size of the filesystem the data folder lives on: room for the database and some records. */
const DISK = '32m';
const LONG_TEXT = 'Observation '.repeat(300);

/** Whether this process may mount a tmpfs (root on Linux, as CI runs); the reason when not. */
function tmpfsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root: cannot mount a small tmpfs';
  const probe = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'mount -t tmpfs is refused here (a container without CAP_SYS_ADMIN?)';
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

const skipReason = tmpfsUnavailable();
if (skipReason !== undefined) process.stdout.write(`full-disk test skipped: ${skipReason}\n`);

/** Fills the filesystem under `dir` to the last byte; the filler file is returned for freeing. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler.bin');
  const fd = fs.openSync(filler, 'w');
  try {
    for (const size of [1024 * 1024, 64 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 7);
      for (;;) {
        try {
          fs.writeSync(fd, chunk);
        } catch (err) {
          if ((err as { code?: string }).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

interface Answer {
  readonly status: number;
  readonly code?: string;
  readonly id?: string;
}

async function call(url: string, token: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  const body = (await res.json()) as { id?: string; error?: { code?: string } };
  return {
    status: res.status,
    ...(body.error?.code === undefined ? {} : { code: body.error.code }),
    ...(body.id === undefined ? {} : { id: body.id }),
  };
}

describe('a transaction that fills the SQLite database (any machine: a page cap, no tmpfs)', () => {
  it('fails with SQLITE_FULL, a 503 storage_full, not "cannot rollback" (a 500)', async () => {
    const store = openStore({ dataDir: tempDir() });
    try {
      await sql`create table filler (v blob)`.execute(store.db);
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db);
      await sql.raw(`pragma max_page_count = ${Number(rows[0]!.page_count) + 4}`).execute(store.db);
      const err = await withTransaction(store.db, async (tx) => {
        for (let i = 0; i < 100; i++) {
          await sql`insert into filler values (${Buffer.alloc(4096)})`.execute(tx);
        }
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as { code?: string }).code).toBe('SQLITE_FULL');
      expect(mapError(err)).toMatchObject({ status: 503, code: 'storage_full' });
      // The connection is usable afterwards: no transaction left open.
      await sql`select 1`.execute(store.db);
      await withTransaction(store.db, async (tx) => {
        await sql`delete from filler`.execute(tx);
      });
    } finally {
      await store.close();
    }
  });
});

/**
 * Issue 17: the disk under a SQLite data folder fills up. Writes are refused with a catalogue
 * code (503 `storage_full`, never 500); a read answers only with its ledger entry written, or
 * is refused; /readyz says not ready; the log names the disk; once space is freed the server
 * serves again by itself and the ledger verifies.
 */
describe.skipIf(skipReason !== undefined)('a full disk under a SQLite data folder', () => {
  let mountPoint: string;
  let server: TestServer;
  let w: World;
  const logLines: string[] = [];

  beforeAll(async () => {
    mountPoint = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK},mode=0700`, 'tmpfs', mountPoint]);
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestServer({
      dataDir: path.join(mountPoint, 'data'),
      logger: { stream, level: 'warn' },
    });
    w = await world(server);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    if (mountPoint !== undefined) {
      execFileSync('umount', ['-l', mountPoint]);
      fs.rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  const createNote = (text: string): Promise<Answer> =>
    call(`${server.url}/api/v1/patients/${w.p}/records`, w.tokens.doctor, {
      method: 'POST',
      body: JSON.stringify({ type: 'clinical_note', title: 'Visit', body: { text } }),
    });
  const read = (id: string): Promise<Answer> => call(`${server.url}/api/v1/records/${id}`, w.tokens.doctor);
  const ready = async (): Promise<number> => (await fetch(`${server.url}/readyz`)).status;
  const readsLogged = async (id: string): Promise<number> =>
    (
      await server.app.store.db
        .selectFrom('ledger_entries')
        .select('seq')
        .where('action', '=', 'record.read')
        .where('target_id', '=', id)
        .execute()
    ).length;

  it('refuses writes with 503 storage_full, reads only with their ledger entry, and recovers', async () => {
    const existing: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await createNote(`Before the disk filled ${i} ${LONG_TEXT}`);
      expect(a.status).toBe(201);
      existing.push(a.id!);
    }
    expect(await ready()).toBe(200);

    const filler = fill(mountPoint);
    // SQLite may still have room inside its own files (a reused WAL): write until it has none.
    const writes: Answer[] = [];
    for (let i = 0; i < 200 && !writes.some((a) => a.status === 503); i++) {
      writes.push(await createNote(`While the disk is full ${i} ${LONG_TEXT}`));
    }
    const refused = writes.filter((a) => a.status !== 201);
    process.stdout.write(
      `full disk: ${writes.length - refused.length} writes still fitted, then ${refused.length} refused\n`,
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => a.status === 503 && a.code === 'storage_full')).toBe(true);
    // Still refused, never a 500.
    for (let i = 0; i < 3; i++) {
      expect(await createNote(`Still full ${i} ${LONG_TEXT}`)).toMatchObject({
        status: 503,
        code: 'storage_full',
      });
    }

    // Reads of existing records: an answer only with its ledger entry written, or a refusal.
    const reads = new Map<string, number>();
    for (const id of existing) {
      const a = await read(id);
      expect([200, 503]).toContain(a.status);
      if (a.status === 503) expect(a.code).toBe('storage_full');
      reads.set(id, a.status === 200 ? 1 : 0);
    }
    for (const [id, answered] of reads) expect(await readsLogged(id)).toBe(answered);
    const answered = [...reads.values()].filter((n) => n === 1).length;
    process.stdout.write(
      `full disk: ${answered} of ${reads.size} reads answered (each logged), the rest refused\n`,
    );

    // Not ready while the disk is full, and the log says why.
    expect(await ready()).toBe(503);
    expect(await ready()).toBe(503);
    expect(logLines.some((l) => l.includes('database disk is full'))).toBe(true);
    expect(logLines.some((l) => l.includes('"msg":"unhandled error"'))).toBe(false);

    // Space freed: ready again and writing again, with no restart.
    fs.rmSync(filler);
    expect(await ready()).toBe(200);
    const after = await createNote('After space was freed');
    expect(after.status).toBe(201);
    expect((await read(after.id!)).status).toBe(200);
    for (const id of existing) expect((await read(id)).status).toBe(200);
    const report = await server.app.audit.verification.verify();
    expect(report.ok, JSON.stringify(report)).toBe(true);
  }, 60_000);
});

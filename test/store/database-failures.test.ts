import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapError } from '../../src/http/error-mapper.js';
import { storeFailureOf } from '../../src/store/store-failure.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { PG_URL, createTestStore, tempDir, type TestStore } from '../support/stores.js';

/**
 * Issue 17, "a dropped PostgreSQL connection kills the server": every connection of a running
 * server is terminated from outside (as a PostgreSQL restart or `pg_terminate_backend` does).
 * The server must stay up, answer the gap with 503 (never 500), and recover by itself.
 */
describe.skipIf(PG_URL === undefined)('PostgreSQL connections lost under a running server', () => {
  let schema: TestStore;
  let server: TestServer;
  const appName = `mv_lost_${process.pid}_${Date.now()}`;
  let admin: pg.Client;

  beforeAll(async () => {
    schema = await createTestStore('postgres', { migrate: false });
    await schema.store.close();
    const url = new URL(schema.databaseUrl ?? '');
    url.searchParams.set('application_name', appName);
    server = await startTestServer({ databaseUrl: url.toString() });
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await server.close();
    await schema.dispose();
  });

  async function terminateServerConnections(): Promise<number> {
    const { rows } = await admin.query<{ terminated: boolean }>(
      'select pg_terminate_backend(pid) as terminated from pg_stat_activity where application_name = $1',
      [appName],
    );
    return rows.filter((r) => r.terminated).length;
  }

  it('survives every connection being terminated, then serves again without a restart', async () => {
    // Open a few pooled connections, then kill them all while they sit idle in the pool.
    await Promise.all([1, 2, 3].map(() => fetch(`${server.url}/readyz`)));
    expect(await terminateServerConnections()).toBeGreaterThan(0);
    // The pool's idle clients see the termination; without a listener that `error` event would
    // be an uncaught exception here (and end `medvault serve`).
    await new Promise((r) => setTimeout(r, 200));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${server.url}/readyz`)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const login = await fetch(`${server.url}/api/v1/auth/patient/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ssn: '000-00-0000', pin: '000000', password: 'not a real password' }),
    });
    expect(login.status).toBe(401);
  });

  it('answers 503 `unavailable` with Retry-After, never 500, for a query whose connection died', async () => {
    const victim = new pg.Client({
      connectionString: `${PG_URL}${PG_URL?.includes('?') ? '&' : '?'}application_name=${appName}_q`,
    });
    await victim.connect();
    const pending = victim.query('select pg_sleep(10)').then(
      () => undefined,
      (err: unknown) => err,
    );
    victim.on('error', () => {});
    await new Promise((r) => setTimeout(r, 200));
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      `${appName}_q`,
    ]);
    const err = await pending;
    expect(storeFailureOf(err)).toBe('unavailable');
    const mapped = mapError(err);
    expect(mapped).toMatchObject({ status: 503, code: 'unavailable' });
    expect(mapped.retryAfterSeconds).toBeGreaterThan(0);
    await victim.end().catch(() => {});
  });

  it('answers 503 for a database that refuses connections', async () => {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    const err = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(mapError(err)).toMatchObject({ status: 503, code: 'unavailable' });
  });
});

describe('a full SQLite database', () => {
  it('answers 503 `storage_full` (not 500) when a write finds no room', () => {
    // A page cap makes the database "full" exactly as a full disk does: SQLITE_FULL.
    const db = new Database(`${tempDir()}/full.db`);
    db.exec('create table t (v blob)');
    db.pragma('max_page_count = 8');
    let err: unknown;
    try {
      for (let i = 0; i < 100; i++) db.prepare('insert into t values (?)').run(Buffer.alloc(4096));
    } catch (e) {
      err = e;
    }
    db.close();
    expect((err as { code?: string }).code).toBe('SQLITE_FULL');
    expect(mapError(err)).toMatchObject({ status: 503, code: 'storage_full' });
  });

  it('still reports a real bug as 500', () => {
    expect(mapError(new TypeError('x is undefined'))).toMatchObject({ status: 500, code: 'internal' });
    const constraint = Object.assign(new Error('UNIQUE constraint failed'), {
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect(mapError(constraint)).toMatchObject({ status: 500 });
  });
});

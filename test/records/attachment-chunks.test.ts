import { Readable, Transform } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AttachmentChunks, STORED_CHUNK_BYTES } from '../../src/app/records/attachment-chunks.js';
import { attachmentChunkExtent } from '../../src/store/attachment-chunk-repository.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';

/** Polls `check` every 20 ms for up to `ms`; true as soon as it holds. */
async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const end = Date.now() + ms;
  do {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  } while (Date.now() < end);
  return false;
}

/**
 * Attachment pieces live in the database only on PostgreSQL (SQLite keeps files), so this runs
 * there. The failure it pins down was seen on CI: a size limit fired while a piece was being
 * inserted, the clean-up delete ran beside that insert, and the piece committed after it: chunks
 * with no row and no key, for ever.
 */
describe.each(DIALECTS.filter((d) => d === 'postgres'))('attachment pieces on %s', (dialect) => {
  let t: TestStore;
  // The blocker holds a lock in a transaction; the observer reads pg_stat_activity outside one
  // (inside a transaction PostgreSQL keeps showing the first snapshot of that view).
  let blocker: pg.Client;
  let observer: pg.Client;

  beforeAll(async () => {
    t = await createTestStore(dialect);
    blocker = new pg.Client({ connectionString: t.databaseUrl });
    observer = new pg.Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    await observer.connect();
  });
  afterAll(async () => {
    await blocker?.end();
    await observer?.end();
    await t?.dispose();
  });

  /** Statements on attachment_chunks that wait for a lock, by their first word. */
  async function waiting(verb: 'insert' | 'delete'): Promise<boolean> {
    const { rows } = await observer.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity
        where wait_event_type = 'Lock' and query ilike $1 and datname = current_database()`,
      [`${verb}%attachment_chunks%`],
    );
    return Number(rows[0]?.n) > 0;
  }

  it('a stage failing while a piece is being inserted removes that piece too', async () => {
    const chunks = new AttachmentChunks(t.store.db);
    const id = crypto.randomUUID();
    // The first piece fills the sink, so its insert starts; the second makes the stage fail.
    const source = Readable.from([Buffer.alloc(STORED_CHUNK_BYTES, 1), Buffer.alloc(10, 2)]);
    // The second piece fails the stage, once the test has seen the first one's insert waiting.
    let failNow = (): void => {};
    const gate = new Promise<void>((r) => (failNow = r));
    let seen = 0;
    let failed = false;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        if (++seen === 1) return callback(null, chunk);
        void gate.then(() => {
          failed = true;
          callback(new Error('over the limit'));
        });
      },
    });

    // Hold the table so the first insert waits while the stage fails.
    await blocker.query('begin');
    await blocker.query('lock table attachment_chunks in share mode');
    onTestFinished(() => blocker.query('rollback').then(() => undefined));
    const written = chunks.write(id, source, [limit]).then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    expect(await within(5_000, () => waiting('insert'))).toBe(true);
    failNow();
    expect(await within(5_000, async () => failed)).toBe(true);
    // The clean-up must not start before the insert it would race has finished.
    expect(await within(300, () => waiting('delete'))).toBe(false);
    await blocker.query('commit');

    expect(await written).toBe('over the limit');
    expect(await attachmentChunkExtent(t.store.db, id)).toEqual({ count: 0, bytes: 0 });
  });

  it('writes, reads back and removes a stream of several pieces', async () => {
    const chunks = new AttachmentChunks(t.store.db);
    const id = crypto.randomUUID();
    const bytes = Buffer.alloc(STORED_CHUNK_BYTES * 2 + 17, 7);
    expect(await chunks.write(id, Readable.from([bytes]), [])).toBe(bytes.length);
    const read = await chunks.openRead(id);
    expect(read?.size).toBe(bytes.length);
    const back: Buffer[] = [];
    for await (const piece of read!.stream) back.push(piece as Buffer);
    expect(Buffer.concat(back).equals(bytes)).toBe(true);
    await chunks.remove(id);
    expect(await chunks.openRead(id)).toBeUndefined();
  });
});

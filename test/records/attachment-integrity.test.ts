import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  download,
  eventually,
  generated,
  ledgerEntries,
  MB,
  startAttachmentServer,
  upload,
  stored,
  world,
  type AttachmentServer,
  type World,
} from './attachment-helpers.js';
import { DIALECTS } from '../support/stores.js';
import { text } from '../support/json-answer.js';

/** Stream layout (src/crypto/envelope-stream.ts): 81-byte header, then 64 KiB + 16-byte records. */
const HEADER = 81;
const RECORD = 64 * 1024 + 16;

describe.each(DIALECTS)('tampered attachments on %s', (dialect) => {
  let server: AttachmentServer;
  let w: World;

  beforeAll(async () => {
    server = await startAttachmentServer(dialect);
    w = await world(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const fresh = async (size = MB): Promise<string> => {
    const up = await upload(server.url, w.record, generated(size).stream, { token: w.tokens.doctor });
    expect(up.status).toBe(201);
    return text(up.body.attachment?.id);
  };
  const flip = async (id: string, offset: number): Promise<void> => {
    const bytes = await stored.read(server, id);
    bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
    await stored.write(server, id, bytes);
  };
  const failures = async (id: string): Promise<number> =>
    (await ledgerEntries(server, w.p, 'record.integrity_failure')).filter((e) => e.target?.id === id).length;

  it('a byte changed in the first chunk: 422 before any byte, and a ledger entry', async () => {
    const id = await fresh();
    await flip(id, HEADER + 100);
    const down = await download(server.url, w.record, id, w.tokens.doctor);
    expect(down.status).toBe(422);
    expect(down.json.error?.code).toBe('integrity_failure');
    expect(await failures(id)).toBe(1);
    // No read was recorded for what was not delivered.
    const reads = await ledgerEntries(server, w.p, 'attachment.read');
    expect(reads.some((e) => e.target?.id === id)).toBe(false);
  });

  it('a byte changed in a later chunk: the download is cut short (socket destroyed), never completed', async () => {
    const id = await fresh();
    await flip(id, HEADER + 5 * RECORD + 10);
    const down = await download(server.url, w.record, id, w.tokens.doctor);
    expect(down.status).toBe(200);
    expect(down.aborted).toBe(true);
    // Chunks 0..4 verified and were sent; nothing from the altered chunk on.
    expect(down.size).toBeLessThanOrEqual(5 * 64 * 1024);
    expect(down.size).toBeLessThan(MB);
    await eventually(async () => (await failures(id)) === 1);
  });

  it('a truncated file (a final chunk dropped) is refused up front by its length: 422', async () => {
    const id = await fresh();
    const bytes = await stored.read(server, id);
    await stored.write(server, id, bytes.subarray(0, bytes.length - RECORD));
    expect((await download(server.url, w.record, id, w.tokens.doctor)).status).toBe(422);
    expect(await failures(id)).toBe(1);
  });

  it("another attachment's file moved in its place (same size) fails: 422", async () => {
    const a = await fresh(200_000);
    const b = await fresh(200_000);
    await stored.write(server, b, await stored.read(server, a));
    expect((await download(server.url, w.record, b, w.tokens.doctor)).status).toBe(422);
    expect(await failures(b)).toBe(1);
    expect((await download(server.url, w.record, a, w.tokens.doctor)).status).toBe(200);
  });

  it('a missing file is an integrity failure (422), not a 500', async () => {
    const id = await fresh(1000);
    await stored.remove(server, id);
    expect((await download(server.url, w.record, id, w.tokens.doctor)).status).toBe(422);
    expect(await failures(id)).toBe(1);
  });

  it("meta copied from another attachment's row fails to open: 422 on download and list", async () => {
    const a = await fresh(1000);
    const b = await fresh(1000);
    const db = server.app.store.db;
    const row = await db
      .selectFrom('attachments')
      .select('meta_ct')
      .where('id', '=', a)
      .executeTakeFirstOrThrow();
    await db.updateTable('attachments').set({ meta_ct: row.meta_ct }).where('id', '=', b).execute();
    expect((await download(server.url, w.record, b, w.tokens.doctor)).status).toBe(422);
    const listed = await fetch(`${server.url}/api/v1/records/${w.record}/attachments`, {
      headers: { authorization: `Bearer ${w.tokens.doctor}` },
    });
    expect(listed.status).toBe(422);
    expect(await failures(b)).toBe(2);
    // Put it back so later tests (and lists) work again.
    await db.deleteFrom('attachments').where('id', '=', b).execute();
  });
});

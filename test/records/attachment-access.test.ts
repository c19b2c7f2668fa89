import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  download,
  generated,
  insertRecord,
  ledgerEntries,
  startAttachmentServer,
  upload,
  world,
  type AttachmentServer,
  type World,
} from './attachment-helpers.js';
import { DIALECTS } from '../support/stores.js';
import { text } from '../support/json-answer.js';

describe.each(DIALECTS)('who may upload, list and download attachments on %s', (dialect) => {
  let server: AttachmentServer;
  let w: World;
  let attachmentId: string;

  const list = async (token: string | undefined, record = w.record): Promise<number> =>
    (
      await fetch(`${server.url}/api/v1/records/${record}/attachments`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      })
    ).status;

  beforeAll(async () => {
    server = await startAttachmentServer(dialect);
    w = await world(server);
    const up = await upload(server.url, w.record, generated(70_000).stream, { token: w.tokens.doctor });
    expect(up.status).toBe(201);
    attachmentId = text(up.body.attachment?.id);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the patient reads their own; another patient gets 404', async () => {
    expect((await download(server.url, w.record, attachmentId, w.tokens.patientP)).status).toBe(200);
    expect(await list(w.tokens.patientP)).toBe(200);
    expect((await download(server.url, w.record, attachmentId, w.tokens.patientQ)).status).toBe(404);
    expect(await list(w.tokens.patientQ)).toBe(404);
  });

  it('pharmacists, admins and registrars are refused outright (403); anonymous 401', async () => {
    for (const token of [w.tokens.pharmacist, w.tokens.admin, w.tokens.registrar]) {
      expect((await download(server.url, w.record, attachmentId, token)).status).toBe(403);
      expect(await list(token)).toBe(403);
      expect((await upload(server.url, w.record, generated(100).stream, { token })).status).toBe(403);
    }
    expect((await download(server.url, w.record, attachmentId)).status).toBe(401);
    expect(await list(undefined)).toBe(401);
    expect((await upload(server.url, w.record, generated(100).stream)).status).toBe(401);
  });

  it('a doctor without access gets 404 for everything; a patient may not upload (403)', async () => {
    expect((await download(server.url, w.record, attachmentId, w.tokens.stranger)).status).toBe(404);
    expect(await list(w.tokens.stranger)).toBe(404);
    const res = await upload(server.url, w.record, generated(100).stream, { token: w.tokens.stranger });
    expect(res.status).toBe(404);
    const own = await upload(server.url, w.record, generated(100).stream, { token: w.tokens.patientP });
    expect(own.status).toBe(403);
  });

  it('an attachment id under another record, or unknown, is 404', async () => {
    const other = await insertRecord(server.app, w.p, w.actors.doctor.userId);
    expect((await download(server.url, other, attachmentId, w.tokens.doctor)).status).toBe(404);
    expect((await download(server.url, w.record, randomUUID(), w.tokens.doctor)).status).toBe(404);
    expect((await download(server.url, randomUUID(), attachmentId, w.tokens.doctor)).status).toBe(404);
  });

  it('a break-glass read is flagged with its break-glass id in the ledger', async () => {
    const down = await download(server.url, w.record, attachmentId, w.tokens.breakGlass);
    expect(down.status).toBe(200);
    const reads = await ledgerEntries(server, w.p, 'attachment.read');
    const entry = reads.find((e) => e.actor?.userId === w.actors.breakGlass.userId);
    expect(entry?.target).toEqual({ type: 'attachment', id: attachmentId });
    expect(typeof entry?.details.breakGlassId).toBe('string');
    expect(entry?.details.recordId).toBe(w.record);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DICOM_HEAD,
  eventually,
  generated,
  insertRecord,
  JPEG_MAGIC,
  leftovers,
  MB,
  startAttachmentServer,
  upload,
  stored,
  world,
  type AttachmentServer,
  type World,
} from './attachment-helpers.js';
import { DIALECTS } from '../support/stores.js';

const NOTHING = { rows: 0, keys: 0, files: [], tmp: [] };

/** A limit of 2 MiB, so "over the limit" stays cheap. */
describe.each(DIALECTS)('refused and broken uploads leave nothing behind on %s', (dialect) => {
  let server: AttachmentServer;
  let w: World;

  beforeAll(async () => {
    server = await startAttachmentServer(dialect, { MEDVAULT_ATTACHMENT_LIMIT_MB: '2' });
    w = await world(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a truncated upload (connection cut mid-body) leaves no row, file, temp file or key', async () => {
    const res = await upload(server.url, w.record, generated(2 * MB).stream, {
      token: w.tokens.doctor,
      abortAfter: MB + 123,
      // Mid-upload: the DEK exists and the temp file is being written.
      beforeAbort: async () => {
        expect(await leftovers(server)).toMatchObject({
          rows: 0,
          keys: 1,
          files: [],
          tmp: [expect.any(String)],
        });
      },
    });
    expect(res.status).toBe(0);
    // The server notices the cut asynchronously; cleanup follows the failed pipeline.
    await eventually(async () => JSON.stringify(await leftovers(server)) === JSON.stringify(NOTHING));
    expect(await leftovers(server)).toEqual(NOTHING);
  });

  it('refuses a type that is not accepted (415) without storing anything', async () => {
    const res = await upload(server.url, w.record, generated(1000, Buffer.from('<html>')).stream, {
      token: w.tokens.doctor,
      contentType: 'text/html',
      fileName: 'x.html',
    });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('unsupported_media_type');
    expect(await leftovers(server)).toEqual(NOTHING);
  });

  it.each([
    ['PNG declared, JPEG bytes', 'image/png', JPEG_MAGIC, 5000],
    ['JPEG declared, PNG bytes', 'image/jpeg', undefined, 5000],
    ['DICOM declared, no DICM at 128', 'application/dicom', Buffer.alloc(132), 5000],
    ['PNG declared, 5 bytes (shorter than the signature)', 'image/png', undefined, 5],
    ['JPEG declared, DICOM bytes', 'image/jpeg', DICOM_HEAD, 3 * MB],
  ] as const)('refuses bytes that contradict the declared type (415): %s', async (_n, type, head, size) => {
    const res = await upload(server.url, w.record, generated(size, head).stream, {
      token: w.tokens.doctor,
      contentType: type,
    });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('unsupported_media_type');
    await eventually(async () => JSON.stringify(await leftovers(server)) === JSON.stringify(NOTHING));
  });

  it('accepts exactly the limit and refuses one byte more (413), leaving nothing', async () => {
    const at = await upload(server.url, w.record, generated(2 * MB).stream, { token: w.tokens.doctor });
    expect(at.status).toBe(201);
    const before = await leftovers(server);
    const over = await upload(server.url, w.record, generated(2 * MB + 1).stream, { token: w.tokens.doctor });
    expect(over.status).toBe(413);
    expect(over.body.error?.code).toBe('payload_too_large');
    const far = await upload(server.url, w.record, generated(9 * MB).stream, { token: w.tokens.doctor });
    expect(far.status).toBe(413);
    await eventually(async () => JSON.stringify(await leftovers(server)) === JSON.stringify(before));
    expect(before).toMatchObject({ rows: 1, keys: 2, tmp: [] });
    // Clean the table for the other tests' "nothing left" checks.
    await server.app.store.db.deleteFrom('attachments').execute();
    await server.app.store.db.deleteFrom('data_keys').where('owner_table', '=', 'attachments').execute();
    for (const f of before.files) await stored.remove(server, f.replace(/\.mves$/, ''));
  });

  it('refuses attachments on a record that is not an imaging study (409)', async () => {
    const lab = await insertRecord(server.app, w.p, w.actors.doctor.userId, 'lab_result');
    const res = await upload(server.url, lab, generated(1000).stream, { token: w.tokens.doctor });
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('not_imaging_record');
    expect(await leftovers(server)).toEqual(NOTHING);
  });

  it('refuses a body that is not multipart (415) and a file under another field name (400)', async () => {
    const json = await fetch(`${server.url}/api/v1/records/${w.record}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.tokens.doctor}`, 'content-type': 'application/json' },
      body: '{"file":"x"}',
    });
    expect(json.status).toBe(415);
    const octets = await fetch(`${server.url}/api/v1/records/${w.record}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.tokens.doctor}`, 'content-type': 'image/png' },
      body: new Uint8Array(10),
    });
    expect(octets.status).toBe(415);
    const field = await upload(server.url, w.record, generated(1000).stream, {
      token: w.tokens.doctor,
      field: 'image',
    });
    expect(field.status).toBe(400);
    expect(await leftovers(server)).toEqual(NOTHING);
  });
});

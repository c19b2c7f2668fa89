import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DICOM_HEAD,
  download,
  generated,
  JPEG_MAGIC,
  ledgerEntries,
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
import { text } from '../support/json-answer.js';

describe.each(DIALECTS)('attachment round trips on %s', (dialect) => {
  let server: AttachmentServer;
  let w: World;

  beforeAll(async () => {
    server = await startAttachmentServer(dialect);
    w = await world(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['0 B png', 0, 'image/png', undefined],
    ['1 MB png', MB, 'image/png', undefined],
    ['1 MB + 1 jpeg', MB + 1, 'image/jpeg', JPEG_MAGIC],
    ['300 KB dicom', 300 * 1024, 'application/dicom', DICOM_HEAD],
  ] as const)('%s uploads and downloads with an equal SHA-256', async (_name, size, type, head) => {
    const source = generated(size, head);
    const up = await upload(server.url, w.record, source.stream, {
      token: w.tokens.doctor,
      contentType: type,
      fileName: 'chest.x-ray',
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const sent = source.sha256();
    expect(up.body.attachment).toMatchObject({ recordId: w.record, contentType: type, size, sha256: sent });

    const down = await download(server.url, w.record, text(up.body.attachment?.id), w.tokens.doctor);
    expect(down.status).toBe(200);
    expect(down.aborted).toBe(false);
    expect(down.size).toBe(size);
    expect(down.sha256).toBe(sent);
    expect(down.headers['content-type']).toBe(type);
    expect(down.headers['content-length']).toBe(String(size));
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers['content-disposition']).toBe(
      `${type === 'application/dicom' ? 'attachment' : 'inline'}; filename="chest.x-ray"; filename*=UTF-8''chest.x-ray`,
    );
  });

  it('stores ciphertext only: the file is the streaming format, the row holds no file name', async () => {
    const source = generated(200 * 1024);
    const up = await upload(server.url, w.record, source.stream, {
      token: w.tokens.doctor,
      fileName: 'fracture-left-wrist.png',
    });
    expect(up.status).toBe(201);
    const id = text(up.body.attachment?.id);
    const bytes = await stored.read(server, id);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('MVES');
    // The PNG signature would appear at the start of the plaintext; nowhere in the ciphertext.
    expect(bytes.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe(false);
    const row = await server.app.store.db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(row.stored_bytes)).toBe(bytes.length);
    expect(row.meta_ct.toString('latin1')).not.toContain('fracture');
    expect(row.patient_id).toBe(w.p);
    // A ledger entry for the upload, ids only.
    const created = await ledgerEntries(server, w.p, 'attachment.create');
    expect(created.some((e) => e.target?.id === id && e.details.recordId === w.record)).toBe(true);
  });

  it('lists the attachments with their decrypted facts', async () => {
    const res = await fetch(`${server.url}/api/v1/records/${w.record}/attachments`, {
      headers: { authorization: `Bearer ${w.tokens.patientP}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { attachments: Array<{ fileName: string; size: number }> };
    expect(body.attachments.length).toBeGreaterThanOrEqual(5);
    expect(body.attachments.map((a) => a.fileName)).toContain('fracture-left-wrist.png');
  });

  it('sanitises the file name and writes the read to the ledger', async () => {
    const up = await upload(server.url, w.record, generated(1000).stream, {
      token: w.tokens.doctor,
      fileName: '..\\..\\etc/pass:wd\u202e-\u00e9.png',
    });
    expect(up.status).toBe(201);
    expect(up.body.attachment?.fileName).toBe('pass_wd_-\u00e9.png');
    const down = await download(server.url, w.record, text(up.body.attachment?.id), w.tokens.patientP);
    expect(down.status).toBe(200);
    const reads = await ledgerEntries(server, w.p, 'attachment.read');
    const mine = reads.find((e) => e.target?.id === up.body.attachment?.id);
    expect(mine?.actor).toEqual({ userId: w.p, role: 'patient' });
    expect(mine?.details).toEqual({ recordId: w.record });
    expect(await leftovers(server)).toMatchObject({ tmp: [] });
  });
});

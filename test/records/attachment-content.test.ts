import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import {
  ContentInspector,
  magicMatches,
  sanitiseFileName,
  SNIFF_BYTES,
} from '../../src/app/records/attachment-content.js';
import { attachmentContext } from '../../src/app/records/attachment-meta.js';
import { contentDisposition } from '../../src/http/routes/attachments.js';
import {
  DICOM_HEAD,
  generated,
  JPEG_MAGIC,
  leftovers,
  PNG_MAGIC,
  startAttachmentServer,
  upload,
  world,
  type AttachmentServer,
  type World,
} from './attachment-helpers.js';
import { text } from '../support/json-answer.js';

const drain = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

/** Feeds `parts` through an inspector; its result, or the AppError it refused with. */
async function inspect(
  type: 'image/png' | 'image/jpeg' | 'application/dicom',
  parts: Buffer[],
  limit = 1000,
) {
  const inspector = new ContentInspector(type, limit);
  try {
    await pipeline(Readable.from(parts), inspector, drain());
    return inspector.result();
  } catch (err) {
    if (err instanceof AppError) return err.kind;
    throw err;
  }
}

describe('content checks', () => {
  it('recognises each type by its magic bytes only', () => {
    expect(magicMatches('image/png', PNG_MAGIC)).toBe(true);
    expect(magicMatches('image/png', PNG_MAGIC.subarray(0, 7))).toBe(false);
    expect(magicMatches('image/jpeg', JPEG_MAGIC)).toBe(true);
    expect(magicMatches('image/jpeg', PNG_MAGIC)).toBe(false);
    expect(magicMatches('application/dicom', DICOM_HEAD)).toBe(true);
    expect(magicMatches('application/dicom', Buffer.from('DICM'))).toBe(false);
    expect(SNIFF_BYTES).toBe(132);
  });

  it('sniffs across chunk boundaries, counts, hashes and enforces the limit', async () => {
    const dicom = Buffer.concat([DICOM_HEAD, Buffer.from('rest')]);
    const split = [dicom.subarray(0, 1), dicom.subarray(1, 130), dicom.subarray(130)];
    expect(await inspect('application/dicom', split)).toMatchObject({ size: dicom.length });
    expect(await inspect('image/png', [])).toEqual({
      size: 0,
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
    expect(await inspect('image/png', [PNG_MAGIC, Buffer.alloc(992)])).toMatchObject({ size: 1000 });
    expect(await inspect('image/png', [PNG_MAGIC, Buffer.alloc(993)])).toBe('payload_too_large');
    expect(await inspect('image/jpeg', [PNG_MAGIC])).toBe('unsupported_media_type');
    expect(await inspect('application/dicom', [Buffer.alloc(131)])).toBe('unsupported_media_type');
  });

  it('sanitises file names to a last segment without controls, quotes or bidi overrides', () => {
    expect(sanitiseFileName('C:\\scans\\knee.png', 'image/png')).toBe('knee.png');
    expect(sanitiseFileName('../../etc/passwd', 'image/png')).toBe('passwd');
    expect(sanitiseFileName('a"b\r\nc\u202egnp.exe', 'image/png')).toBe('a_b__c_gnp.exe');
    expect(sanitiseFileName('...', 'application/dicom')).toBe('attachment.dcm');
    expect(sanitiseFileName(undefined, 'image/jpeg')).toBe('attachment.jpg');
    expect([...sanitiseFileName('x'.repeat(500), 'image/png')].length).toBe(200);
  });

  it('builds a Content-Disposition that no file name can break out of', () => {
    expect(contentDisposition('inline', 'knee.png')).toBe(
      `inline; filename="knee.png"; filename*=UTF-8''knee.png`,
    );
    expect(contentDisposition('attachment', 'Röntgen (1).dcm')).toBe(
      `attachment; filename="R_ntgen (1).dcm"; filename*=UTF-8''R%C3%B6ntgen%20%281%29.dcm`,
    );
    expect(contentDisposition('inline', 'a\\b;c')).toBe(
      `inline; filename="a_b;c"; filename*=UTF-8''a%5Cb%3Bc`,
    );
  });
});

describe('MEDVAULT_ATTACHMENT_LIMIT_MB', () => {
  it('defaults to 100 MiB, takes whole MiB from 1 to 4096, and names itself when invalid', () => {
    expect(loadConfig({}).attachmentLimitBytes).toBe(100 * 1024 * 1024);
    expect(loadConfig({ MEDVAULT_ATTACHMENT_LIMIT_MB: '4096' }).attachmentLimitBytes).toBe(
      4096 * 1024 * 1024,
    );
    for (const bad of ['0', '4097', '1.5', '-1', '10MB']) {
      expect(() => loadConfig({ MEDVAULT_ATTACHMENT_LIMIT_MB: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ MEDVAULT_ATTACHMENT_LIMIT_MB: bad })).toThrow(/MEDVAULT_ATTACHMENT_LIMIT_MB/);
    }
  });
});

describe('sweeping what dead uploads left', () => {
  let server: AttachmentServer;
  let w: World;

  beforeAll(async () => {
    server = await startAttachmentServer('sqlite');
    w = await world(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('removes orphan keys, temp files and row-less files older than a day, and keeps the rest', async () => {
    const { app } = server;
    const kept = await upload(server.url, w.record, generated(1000).stream, { token: w.tokens.doctor });
    expect(kept.status).toBe(201);
    const dead = randomUUID();
    await app.store.db
      .transaction()
      .execute((tx) => app.dataKeys.createDek(tx, attachmentContext(dead, w.p, 'content')));
    const dir = path.join(server.dataDir, 'attachments');
    fs.writeFileSync(path.join(dir, 'tmp', `${dead}.part`), 'partial');
    fs.writeFileSync(path.join(dir, `${dead}.mves`), 'renamed, never committed');
    const stray = `${randomUUID()}.part`;
    fs.writeFileSync(path.join(dir, 'tmp', stray), 'no key at all');
    expect(await leftovers(server)).toMatchObject({ rows: 1, keys: 3 });
    expect((await leftovers(server)).tmp.sort()).toEqual([`${dead}.part`, stray].sort());

    // Nothing is a day old yet: nothing goes.
    expect(await app.records.attachments.sweep()).toBe(0);
    // The temp files' modification times are now; the sweep looks a day past them.
    const removed = await app.records.attachments.sweep(Date.now() + 25 * 3_600_000);
    expect(removed).toBe(2);
    expect(await leftovers(server)).toEqual({
      rows: 1,
      keys: 2,
      files: [`${text(kept.body.attachment?.id)}.mves`],
      tmp: [],
    });
  });
});

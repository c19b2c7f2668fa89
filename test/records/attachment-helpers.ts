import { scopeOf } from '../support/scopes.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Actor } from '../../src/app/actor.js';
import type { AppContext } from '../../src/app/context.js';
import type { RawSettings } from '../../src/config/config.js';
import type { DialectName } from '../../src/store/database.js';
import { insertStaff, registration, tokenFor } from '../support/people.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { JsonAnswer } from '../support/json-answer.js';

export const MB = 1024 * 1024;
export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
export const DICOM_HEAD = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1')]);

/** A live server over a fresh data folder (and PostgreSQL schema), with extra settings. */
export type AttachmentServer = TestServer;

export async function startAttachmentServer(
  dialect: DialectName,
  settings: RawSettings = {},
): Promise<AttachmentServer> {
  const server = await startTestServer({ db: dialect, settings });
  return {
    ...server,
    close: async () => {
      await server.close();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    },
  };
}

/** Who calls, with their tokens; P is the patient whose imaging record R the tests attach to. */
export interface World {
  readonly server: AttachmentServer;
  readonly p: string;
  readonly q: string;
  readonly record: string;
  readonly tokens: Record<
    'doctor' | 'stranger' | 'breakGlass' | 'pharmacist' | 'admin' | 'registrar' | 'patientP' | 'patientQ',
    string
  >;
  readonly actors: { readonly doctor: Actor; readonly breakGlass: Actor };
}

/** Inserts a record row directly (the records service is not needed to test attachments). */
export async function insertRecord(
  app: AppContext,
  patientId: string,
  authorId: string,
  type = 'imaging',
): Promise<string> {
  const id = randomUUID();
  await app.store.db
    .insertInto('records')
    .values({
      id,
      patient_id: patientId,
      type,
      author_id: authorId,
      created_at: Date.now(),
      title_ct: randomBytes(40),
      body_ct: randomBytes(80),
    })
    .execute();
  return id;
}

export async function world(server: AttachmentServer): Promise<World> {
  const { app } = server;
  const db = app.store.db;
  const registrar = await insertStaff(db, 'registrar');
  const doctor = await insertStaff(db, 'doctor', 'Dr Care');
  const stranger = await insertStaff(db, 'doctor', 'Dr Stranger');
  const breakGlass = await insertStaff(db, 'doctor', 'Dr Emergency');
  const pharmacist = await insertStaff(db, 'pharmacist');
  const admin = await insertStaff(db, 'admin');
  const p = (await app.identity.patients.register(scopeOf(registrar), registration())).patientId;
  const q = (await app.identity.patients.register(scopeOf(registrar), registration())).patientId;
  await app.sharing.careTeams.assign(scopeOf(registrar), p, doctor.userId);
  await app.sharing.breakGlass.open(
    scopeOf(breakGlass),
    p,
    'Unconscious in the emergency room, no history available',
  );
  const record = await insertRecord(app, p, doctor.userId);
  const token = (a: Actor): Promise<string> => tokenFor(app, a);
  return {
    server,
    p,
    q,
    record,
    actors: { doctor, breakGlass },
    tokens: {
      doctor: await token(doctor),
      stranger: await token(stranger),
      breakGlass: await token(breakGlass),
      pharmacist: await token(pharmacist),
      admin: await token(admin),
      registrar: await token(registrar),
      patientP: await token({ userId: p, role: 'patient' }),
      patientQ: await token({ userId: q, role: 'patient' }),
    },
  };
}

/**
 * `total` bytes starting with `head`, then pseudo-random 64 KiB blocks (one random block with
 * its index stamped in, so no two blocks are equal), generated as they are read: nothing of the
 * size of the file is ever held. `sha256()` is the hash of what was produced.
 */
export function generated(
  total: number,
  head: Buffer = PNG_MAGIC,
): { stream: Readable; sha256: () => string } {
  const block = randomBytes(64 * 1024);
  const hash = createHash('sha256');
  let sent = 0;
  let index = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(block.length, total - sent);
      const chunk = Buffer.allocUnsafe(n);
      block.copy(chunk, 0, 0, n);
      if (n >= 16) chunk.writeBigUInt64BE(BigInt(index++), 8);
      if (sent === 0) head.copy(chunk, 0, 0, Math.min(head.length, n));
      sent += n;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

export interface UploadOptions {
  readonly token?: string;
  readonly contentType?: string;
  readonly fileName?: string;
  readonly field?: string;
  /** Destroy the connection after this many file bytes were sent (a truncated upload). */
  readonly abortAfter?: number;
  /** Runs after the partial body was written, before the connection is cut. */
  readonly beforeAbort?: () => Promise<void>;
  /** Extra request headers (e.g. Idempotency-Key). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: JsonAnswer;
  /** Set when the upload was cut on purpose (abortAfter) and the request then failed. */
  readonly error?: Error;
}

/** POSTs `content` as one multipart file part, streaming with backpressure (http.request). */
export function upload(
  url: string,
  recordId: string,
  content: Readable,
  options: UploadOptions = {},
): Promise<HttpAnswer> {
  const boundary = `----medvault${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; ` +
      `filename="${options.fileName ?? 'scan.png'}"\r\nContent-Type: ${options.contentType ?? 'image/png'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/v1/records/${recordId}/attachments`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? JSON.parse(text) : undefined,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', (err) =>
      options.abortAfter === undefined
        ? reject(err)
        : resolve({ status: 0, headers: {}, body: {}, error: err }),
    );
    req.write(head);
    let sent = 0;
    content.on('data', (chunk: Buffer) => {
      if (options.abortAfter !== undefined && sent + chunk.length > options.abortAfter) {
        content.destroy();
        req.write(chunk.subarray(0, options.abortAfter - sent), () => {
          // Give the server a moment to receive the partial body, then cut the connection.
          setTimeout(() => {
            void (options.beforeAbort ?? (async () => undefined))().then(
              () => {
                req.destroy();
                resolve({ status: 0, headers: {}, body: {} });
              },
              (err: unknown) => {
                req.destroy();
                reject(err as Error);
              },
            );
          }, 200);
        });
        return;
      }
      sent += chunk.length;
      if (!req.write(chunk)) {
        content.pause();
        req.once('drain', () => content.resume());
      }
    });
    content.on('end', () => req.end(tail));
  });
}

export interface Downloaded {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly size: number;
  readonly sha256: string;
  /** Set when the connection broke before the body was complete. */
  readonly aborted: boolean;
  /** The body when it was JSON (an error answer). */
  readonly json: JsonAnswer;
}

/** GETs an attachment, hashing the body as it streams in (never holding it). */
export function download(
  url: string,
  recordId: string,
  attachmentId: string,
  token?: string,
): Promise<Downloaded> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/v1/records/${recordId}/attachments/${attachmentId}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const hash = createHash('sha256');
      let size = 0;
      let text = '';
      const isJson = (res.headers['content-type'] ?? '').startsWith('application/json');
      const done = (aborted: boolean): void =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          size,
          sha256: hash.digest('hex'),
          aborted,
          json: isJson && text ? JSON.parse(text) : undefined,
        });
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
        if (isJson) text += chunk.toString('utf8');
      });
      res.on('end', () => done(false));
      res.on('aborted', () => done(true));
      res.on('error', () => undefined);
    });
  });
}

/** Everything an attachment can leave behind, to prove a failed upload left nothing. */
export async function leftovers(server: AttachmentServer): Promise<{
  rows: number;
  keys: number;
  files: string[];
  tmp: string[];
}> {
  const db = server.app.store.db;
  const rows = await db.selectFrom('attachments').select('id').execute();
  const keys = await db
    .selectFrom('data_keys')
    .select('id')
    .where('owner_table', '=', 'attachments')
    .execute();
  const dir = path.join(server.dataDir, 'attachments');
  const list = (d: string): string[] =>
    fs.existsSync(d) ? fs.readdirSync(d).filter((n) => fs.statSync(path.join(d, n)).isFile()) : [];
  // On PostgreSQL the stored streams are chunks in the database: each attachment id is one "file",
  // a "temp file" while it has no row yet (an upload in progress, or one that died).
  const chunks = await db.selectFrom('attachment_chunks').select('attachment_id').distinct().execute();
  const withRow = new Set(rows.map((r) => r.id));
  const named = (ids: string[]): string[] => ids.map((id) => `${id}.mves`);
  const ids = chunks.map((c) => c.attachment_id);
  return {
    rows: rows.length,
    keys: keys.length,
    files: [...list(dir), ...named(ids.filter((id) => withRow.has(id)))],
    tmp: [...list(path.join(dir, 'tmp')), ...named(ids.filter((id) => !withRow.has(id)))],
  };
}

/** Stored-stream access for tamper tests: a file on SQLite, chunks in the database on PostgreSQL. */
export const stored = {
  inDatabase: (server: AttachmentServer): boolean => server.app.store.dialect === 'postgres',
  file: (server: AttachmentServer, id: string): string =>
    path.join(server.dataDir, 'attachments', `${id}.mves`),
  async read(server: AttachmentServer, id: string): Promise<Buffer> {
    if (!stored.inDatabase(server)) return fs.readFileSync(stored.file(server, id));
    const rows = await server.app.store.db
      .selectFrom('attachment_chunks')
      .select('data')
      .where('attachment_id', '=', id)
      .orderBy('idx')
      .execute();
    return Buffer.concat(rows.map((r) => r.data));
  },
  /** Replaces the stored stream of `id` with `bytes` (as chunks of the production size). */
  async write(server: AttachmentServer, id: string, bytes: Buffer): Promise<void> {
    if (!stored.inDatabase(server)) return fs.writeFileSync(stored.file(server, id), bytes);
    const db = server.app.store.db;
    await db.deleteFrom('attachment_chunks').where('attachment_id', '=', id).execute();
    const piece = 256 * 1024;
    for (let idx = 0; idx * piece < bytes.length; idx++) {
      const data = bytes.subarray(idx * piece, (idx + 1) * piece);
      await db.insertInto('attachment_chunks').values({ attachment_id: id, idx, data }).execute();
    }
  },
  async remove(server: AttachmentServer, id: string): Promise<void> {
    if (!stored.inDatabase(server)) return fs.rmSync(stored.file(server, id));
    await server.app.store.db.deleteFrom('attachment_chunks').where('attachment_id', '=', id).execute();
  },
};

/** The ledger entries about `patientId` with `action`, newest first. */
export async function ledgerEntries(server: AttachmentServer, patientId: string, action: string) {
  const { app } = server;
  const page = await app.audit.ledger.entries(app.store.db, { patientId, action }, { limit: 100 });
  return page.entries;
}

/** Polls until `check` is true (for effects that finish after a response, e.g. cleanup). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

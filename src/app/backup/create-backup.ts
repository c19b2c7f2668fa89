import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HashTap } from './hash-tap.js';
import { BACKUP_SALT_BYTES, signDigest } from '../../crypto/backup-keys.js';
import { createSealStream } from '../../crypto/envelope-stream.js';
import { appliedMigrations, dumpPostgres, sqliteOnlineBackup } from '../../store/snapshot.js';
import type { AppContext } from '../context.js';
import { loadCustody } from '../custody/index.js';
import {
  archiveContext,
  DATABASE_PART,
  FORMAT_VERSION,
  MAGIC,
  moduleSecretContext,
  type BackupHeader,
  type BackupManifest,
} from './backup-file.js';
import { newestSignedCheckpoint } from './checkpoint-source.js';

export interface BackupProgress {
  /** A phase begins: `total` units (pages, rows or bytes). */
  readonly onPhase?: (phase: 'snapshot' | 'write', total: number) => void;
  readonly onProgress?: (done: number) => void;
}

export interface BackupResult {
  readonly id: string;
  readonly bytes: number;
  readonly parts: number;
  readonly databaseBytes: number;
  /** The PKCS#11 token that sealed the backup's key, when the root is in one; else null. */
  readonly sealedBy: string | null;
}

interface Part {
  readonly name: string;
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
}

async function partOf(name: string, file: string): Promise<Part> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { name, file, size, sha256: hash.digest('hex') };
}

/** The database as of one moment, in a file of `work`: SQLite's online backup, or a PostgreSQL dump. */
async function snapshotDatabase(
  app: AppContext,
  work: string,
  progress: BackupProgress,
): Promise<Part & { rows?: number }> {
  const { store } = app;
  if (store.dialect === 'sqlite') {
    const file = path.join(work, 'snapshot.db');
    let pages = 0;
    await sqliteOnlineBackup(store.location, file, (done, total) => {
      if (pages === 0) progress.onPhase?.('snapshot', total);
      pages = total;
      progress.onProgress?.(done);
    });
    progress.onProgress?.(pages);
    return partOf(DATABASE_PART.sqlite, file);
  }
  const file = path.join(work, 'snapshot.jsonl');
  const out = fs.createWriteStream(file, { mode: 0o600 });
  let started = false;
  const dump = await dumpPostgres(
    store.db,
    async (table, rows) => {
      if (!out.write(JSON.stringify({ t: table, r: rows }) + '\n'))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    },
    (done, total) => {
      if (!started) progress.onPhase?.('snapshot', total);
      started = true;
      progress.onProgress?.(done);
    },
  );
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return { ...(await partOf(DATABASE_PART.postgres, file)), rows: dump.rows };
}

/** Attachment files present after the snapshot: every one its rows name (files land before rows). */
async function attachmentParts(dataDir: string): Promise<Part[]> {
  const dir = path.join(dataDir, 'attachments');
  const names = fs.existsSync(dir)
    ? (await fsp.readdir(dir)).filter((n) => /^[0-9a-f-]{36}\.mves$/.test(n))
    : [];
  const parts: Part[] = [];
  for (const n of names.sort()) parts.push(await partOf(`attachments/${n}`, path.join(dir, n)));
  return parts;
}

/**
 * Writes a backup of the running system to `out` (created 0600, never overwritten): the newest
 * signed checkpoint, a consistent snapshot of the database, the attachment files, a manifest of
 * their hashes — encrypted and signed under keys derived from the keyring's root (the master key,
 * or a secret sealed by the PKCS#11 module that holds the root; backup-file.ts).
 * The server may keep serving meanwhile.
 */
export async function createBackup(
  app: AppContext,
  out: string,
  progress: BackupProgress = {},
): Promise<BackupResult> {
  const id = randomBytes(16).toString('hex');
  const salt = randomBytes(BACKUP_SALT_BYTES);
  const { keys, sealedSecret } = app.keyring.deriveBackupKeys(salt, moduleSecretContext(id));
  const custody = await loadCustody(app.store.db);
  const header: BackupHeader = {
    format: 'medvault-backup/v1',
    id,
    createdAt: Date.now(),
    dialect: app.store.dialect,
    salt: salt.toString('base64'),
    keyCheck: keys.keyCheck,
    publicKey: keys.publicKey,
    ...(sealedSecret === null
      ? {}
      : { module: { sealedBy: app.keyring.rootOrigin, sealedSecret: sealedSecret.toString('base64') } }),
    custody:
      custody === undefined
        ? null
        : {
            threshold: custody.threshold,
            shares: custody.shares,
            setId: custody.setId,
            keyCommitment: custody.keyCommitment,
            shareCommitments: Object.fromEntries(
              [...custody.shareCommitments].map(([k, v]) => [String(k), v]),
            ),
          },
  };
  const work = await fsp.mkdtemp(path.join(path.dirname(path.resolve(out)), '.medvault-backup-'));
  try {
    // Reading every record is recorded like any read; the entry is in the backup it describes.
    await app.audit.ledger.append(app.store.db, {
      actor: null,
      action: 'backup.create',
      target: { type: 'backup', id },
      patientId: null,
      outcome: 'success',
    });
    const checkpoint = await newestSignedCheckpoint(app);
    const migrations = await appliedMigrations(app.store.db);
    const database = await snapshotDatabase(app, work, progress);
    const parts = [database, ...(await attachmentParts(app.config.dataDir))];
    const manifest: BackupManifest = {
      parts: parts.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
      migrations,
      checkpoint,
      ...(database.rows === undefined ? {} : { rows: database.rows }),
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
    const total = 4 + manifestBytes.length + parts.reduce((n, p) => n + p.size, 0);
    progress.onPhase?.('write', total);

    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const preamble = Buffer.alloc(MAGIC.length + 5);
    MAGIC.copy(preamble);
    preamble.writeUInt8(FORMAT_VERSION, MAGIC.length);
    preamble.writeUInt32BE(headerBytes.length, MAGIC.length + 1);
    const digest = createHash('sha256').update(preamble).update(headerBytes);

    async function* plaintext(): AsyncGenerator<Buffer> {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(manifestBytes.length);
      yield length;
      yield manifestBytes;
      for (const p of parts) for await (const chunk of fs.createReadStream(p.file)) yield chunk as Buffer;
    }
    let fed = 0;
    const counter = new HashTap(createHash('sha256'), (n) => {
      fed = n;
      progress.onProgress?.(fed);
    });
    const tap = new HashTap(digest, () => undefined);
    const sink = fs.createWriteStream(out, { flags: 'wx', mode: 0o600, flush: true });
    sink.write(preamble);
    sink.write(headerBytes);
    await pipeline(
      Readable.from(plaintext()),
      counter,
      createSealStream(archiveContext(id), keys.encryptionKey),
      tap,
      sink,
    );
    const signature = signDigest(keys, digest.digest());
    await fsp.appendFile(out, signature);
    const bytes = (await fsp.stat(out)).size;
    return {
      id,
      bytes,
      parts: parts.length,
      databaseBytes: database.size,
      sealedBy: header.module?.sealedBy ?? null,
    };
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HashTap } from './hash-tap.js';
import { backupKeys, keyCheckMatches, verifyDigest } from '../../crypto/backup-keys.js';
import { createOpenStream } from '../../crypto/envelope-stream.js';
import { IntegrityError, UnsupportedFormatError } from '../../crypto/errors.js';
import { integrityFailure, invalidInput } from '../errors.js';
import type { KeyRoot } from '../key-root/key-root.js';
import {
  archiveContext,
  BackupHeader,
  BackupManifest,
  checked,
  FORMAT_VERSION,
  MAGIC,
  MAX_HEADER_BYTES,
  MAX_MANIFEST_BYTES,
  moduleSecretContext,
  PART_NAME,
  PREAMBLE_BYTES,
  SIGNATURE_BYTES,
} from './backup-file.js';

export interface BackupHead {
  readonly header: BackupHeader;
  /** Offset of the sealed stream. */
  readonly streamAt: number;
  readonly size: number;
  /** The preamble and header bytes (the start of what the signature covers). */
  readonly headBytes: Buffer;
}

export interface VerifyProgress {
  readonly onTotal?: (bytes: number) => void;
  readonly onProgress?: (bytes: number) => void;
}

/**
 * Reads and checks a backup file's clear header (nothing is trusted until the signature and
 * every chunk have been checked by {@link verifyBackup}).
 * @throws AppError invalid_input when the file is not a MedVault backup.
 */
export async function readBackupHead(file: string): Promise<BackupHead> {
  const notBackup = (why: string) => invalidInput(`${file} is not a MedVault backup (${why}).`);
  const fh = await fsp.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const preamble = Buffer.alloc(PREAMBLE_BYTES);
    if (
      size < PREAMBLE_BYTES + SIGNATURE_BYTES ||
      (await fh.read(preamble, 0, PREAMBLE_BYTES, 0)).bytesRead < PREAMBLE_BYTES
    )
      throw notBackup('too short');
    if (!preamble.subarray(0, MAGIC.length).equals(MAGIC)) throw notBackup('no MVBACKUP signature');
    const version = preamble.readUInt8(MAGIC.length);
    if (version !== FORMAT_VERSION)
      throw notBackup(`format ${version}, this MedVault reads ${FORMAT_VERSION}`);
    const length = preamble.readUInt32BE(MAGIC.length + 1);
    if (length > MAX_HEADER_BYTES || PREAMBLE_BYTES + length + SIGNATURE_BYTES > size)
      throw notBackup('header length');
    const headerBytes = Buffer.alloc(length);
    await fh.read(headerBytes, 0, length, PREAMBLE_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(headerBytes.toString('utf8'));
    } catch {
      throw integrityFailure('The backup header is damaged.');
    }
    let header: BackupHeader;
    try {
      header = checked<BackupHeader>(BackupHeader, parsed, 'the backup header');
    } catch (err) {
      throw integrityFailure(`The backup is damaged: ${(err as Error).message}.`);
    }
    return {
      header,
      streamAt: PREAMBLE_BYTES + length,
      size,
      headBytes: Buffer.concat([preamble, headerBytes]),
    };
  } finally {
    await fh.close();
  }
}

/** Reads exact byte counts from an async stream of chunks. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.length < n) {
      const next = await this.source.next();
      if (next.done === true) return false;
      this.buffered.push(next.value);
      this.length += next.value.length;
    }
    return true;
  }

  /** Exactly `n` bytes, or null at the end of the stream. */
  async take(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) return null;
    const all = Buffer.concat(this.buffered);
    this.buffered = [all.subarray(n)];
    this.length -= n;
    return all.subarray(0, n);
  }

  /** Passes `n` bytes to `sink` chunk by chunk; false when the stream ends first. */
  async pass(n: number, sink: (chunk: Buffer) => Promise<void>): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.length === 0 && !(await this.fill(1))) return false;
      const head = this.buffered.shift() as Buffer;
      this.length -= head.length;
      const used = head.subarray(0, left);
      if (head.length > left) {
        this.buffered.unshift(head.subarray(left));
        this.length += head.length - left;
      }
      await sink(used);
      left -= used.length;
    }
    return true;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }
}

export interface VerifiedBackup {
  readonly header: BackupHeader;
  readonly manifest: BackupManifest;
  readonly bytes: number;
}

/**
 * The secret a backup made under a PKCS#11 root derives its keys from, unsealed by `root` (the
 * token the hospital's keyring is in). Pass it to verifyBackup and restoreBackup as the key.
 * @throws AppError invalid_input when the backup was made under a master key; integrity_failure
 *   when this token did not seal it (another token, or a secret moved from another backup).
 */
export function unsealModuleSecret(header: BackupHeader, root: KeyRoot): Buffer {
  if (header.module === undefined)
    throw invalidInput(
      "This backup was made under a master key, not a PKCS#11 token: give that key (MEDVAULT_MASTER_KEY, master.key, or the officers' shares).",
    );
  try {
    return root.open(Buffer.from(header.module.sealedSecret, 'base64'), moduleSecretContext(header.id));
  } catch (err) {
    if (err instanceof IntegrityError || err instanceof UnsupportedFormatError)
      throw integrityFailure(
        `The ${root.origin} did not seal this backup's key (it was sealed by the ${header.module.sealedBy}): use the token the hospital's keyring is in.`,
      );
    throw err;
  }
}

/**
 * Checks a backup end to end without restoring it: the key check (made under this master key?),
 * every chunk of the sealed archive (AES-GCM STREAM: any changed, dropped, reordered or appended
 * byte fails), the manifest, every part's SHA-256 and size, and the Ed25519 signature over the
 * whole file. With `extractTo`, also writes the parts there (a restore moves them into place only
 * once everything verified). `masterKey` is the key the backup was made under, or for one made
 * under a PKCS#11 root, its secret as unsealModuleSecret gives it.
 * @throws AppError integrity_failure naming what does not verify.
 */
export async function verifyBackup(
  file: string,
  masterKey: Buffer,
  options: VerifyProgress & { readonly extractTo?: string } = {},
): Promise<VerifiedBackup> {
  const head = await readBackupHead(file);
  const { header } = head;
  const keys = backupKeys(masterKey, Buffer.from(header.salt, 'base64'));
  if (!keyCheckMatches(keys, header.keyCheck))
    throw integrityFailure(
      header.module === undefined
        ? 'This backup was made under another master key: give the key (or shares) it was made with.'
        : `The key given does not open this backup, whose key is sealed by the ${header.module.sealedBy}: read it through that token (MEDVAULT_PKCS11_*), or its header was altered.`,
    );
  const signatureAt = head.size - SIGNATURE_BYTES;
  options.onTotal?.(head.size);
  const digest = createHash('sha256').update(head.headBytes);
  let manifest: BackupManifest | undefined;

  const parse = async (source: AsyncIterable<Buffer>): Promise<void> => {
    const reader = new ByteReader(source[Symbol.asyncIterator]());
    const lengthBytes = await reader.take(4);
    if (lengthBytes === null) throw new IntegrityError('archive ends before its manifest');
    const length = lengthBytes.readUInt32BE(0);
    if (length > MAX_MANIFEST_BYTES) throw new IntegrityError('manifest length');
    const manifestBytes = await reader.take(length);
    if (manifestBytes === null) throw new IntegrityError('archive ends inside its manifest');
    const m = checked<BackupManifest>(
      BackupManifest,
      JSON.parse(manifestBytes.toString('utf8')),
      'the manifest',
    );
    for (const part of m.parts) {
      if (!PART_NAME.test(part.name)) throw new IntegrityError(`unexpected part ${part.name}`);
      const hash = createHash('sha256');
      let out: fs.WriteStream | undefined;
      if (options.extractTo !== undefined) {
        const target = path.join(options.extractTo, part.name);
        await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        out = fs.createWriteStream(target, { flags: 'wx', mode: 0o600 });
      }
      const whole = await reader.pass(part.size, async (chunk) => {
        hash.update(chunk);
        if (out !== undefined && !out.write(chunk))
          await new Promise<void>((r) => out?.once('drain', () => r()));
      });
      if (out !== undefined)
        await new Promise<void>((r, j) => out?.end((e?: Error | null) => (e ? j(e) : r())));
      if (!whole) throw new IntegrityError(`archive ends inside ${part.name}`);
      if (hash.digest('hex') !== part.sha256)
        throw new IntegrityError(`${part.name} does not match its hash`);
    }
    if (!(await reader.atEnd())) throw new IntegrityError('bytes after the last part');
    manifest = m;
  };

  try {
    await pipeline(
      fs.createReadStream(file, { start: head.streamAt, end: signatureAt - 1 }),
      new HashTap(digest, (n) => options.onProgress?.(head.streamAt + n)),
      createOpenStream(archiveContext(header.id), keys.encryptionKey),
      parse,
    );
  } catch (err) {
    if (err instanceof IntegrityError || err instanceof UnsupportedFormatError || err instanceof SyntaxError)
      throw integrityFailure(`The backup is damaged or altered: ${err.message}.`);
    if (err instanceof TypeError && /malformed/.test(err.message))
      throw integrityFailure(`The backup is damaged: ${err.message}.`);
    throw err;
  }
  const signature = Buffer.alloc(SIGNATURE_BYTES);
  const fh = await fsp.open(file, 'r');
  try {
    await fh.read(signature, 0, SIGNATURE_BYTES, signatureAt);
  } finally {
    await fh.close();
  }
  if (!verifyDigest(keys, digest.digest(), signature))
    throw integrityFailure('The backup signature does not verify: the file was altered.');
  options.onProgress?.(head.size);
  return { header, manifest: manifest as BackupManifest, bytes: head.size };
}

import { createHash } from 'node:crypto';
import { AttachmentFiles } from '../records/index.js';

/**
 * How `store migrate` moves one attachment's ciphertext (the streaming-envelope bytes, never
 * decrypted: its DEK moves with `data_keys`). The seam exists for attachments stored IN
 * PostgreSQL (being built on another branch): that implementation streams the source file into
 * the target database instead; this one copies files between data folders.
 */
export interface AttachmentTransfer {
  /** Copies attachment `id` unless the target already holds it whole; answers the bytes copied. */
  copy(id: string, storedBytes: number): Promise<number>;
  /** A problem with the target's copy (missing, wrong size), or undefined when it is whole. */
  check(id: string, storedBytes: number): Promise<string | undefined>;
  /** SHA-256 of the ciphertext on each side, for the sampled comparison. */
  digests(id: string): Promise<{ source: string; target: string }>;
}

/** Files in `<source>/attachments/` copied to `<target>/attachments/` with the server's write protocol. */
export class FileAttachmentTransfer implements AttachmentTransfer {
  private readonly source: AttachmentFiles;
  private readonly target: AttachmentFiles;

  constructor(sourceDataDir: string, targetDataDir: string) {
    this.source = new AttachmentFiles(sourceDataDir);
    this.target = new AttachmentFiles(targetDataDir);
  }

  async copy(id: string, storedBytes: number): Promise<number> {
    if ((await this.check(id, storedBytes)) === undefined) return 0;
    const from = await this.source.openRead(id);
    if (from === undefined) throw new Error(`attachment ${id} has no file in the source data folder`);
    // A copy killed midway leaves at most a temp file: remove it, write again, rename into place.
    await this.target.remove(id);
    const written = await this.target.write(id, from.stream, []);
    await this.target.commit(id);
    return written;
  }

  async check(id: string, storedBytes: number): Promise<string | undefined> {
    const file = await this.target.openRead(id);
    if (file === undefined) return `attachment ${id} is missing in the target data folder`;
    file.stream.destroy();
    return file.size === storedBytes
      ? undefined
      : `attachment ${id} has ${file.size} bytes in the target, ${storedBytes} recorded`;
  }

  async digests(id: string): Promise<{ source: string; target: string }> {
    return { source: await sha256(this.source, id), target: await sha256(this.target, id) };
  }
}

async function sha256(files: AttachmentFiles, id: string): Promise<string> {
  const file = await files.openRead(id);
  if (file === undefined) return 'missing';
  const hash = createHash('sha256');
  for await (const chunk of file.stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createOpenStream } from '../../crypto/envelope-stream.js';
import type { DataKeys } from '../data-keys.js';
import type { Db } from '../../store/database.js';
import { integrityFailure } from '../errors.js';
import { attachmentContext, type AttachmentStorage } from '../records/index.js';

/** One side of a move: where its attachment content lives, and how to open its keys. */
export interface AttachmentSide {
  readonly storage: AttachmentStorage;
  readonly db: Db;
  readonly dataKeys: DataKeys;
}

/**
 * How `store migrate` moves an attachment: its stored MVES stream, byte for byte, from the
 * source's storage into the target's (files in the data folder → `attachment_chunks` rows, with
 * each storage's own write protocol), never decrypted: its DEK moves with `data_keys`. Whatever a
 * killed copy left of an attachment is removed before it is written again.
 */
export class AttachmentTransfer {
  constructor(
    private readonly from: AttachmentStorage,
    private readonly to: AttachmentStorage,
  ) {}

  /** Copies attachment `id`; answers the stored bytes written. */
  async copy(id: string): Promise<number> {
    const stored = await this.from.openRead(id);
    if (stored === undefined) throw integrityFailure(`attachment ${id} has no stored content in the source`);
    await this.to.remove(id);
    const written = await this.to.write(id, stored.stream, []);
    await this.to.commit(id);
    return written;
  }

  /** A problem with the target's copy (missing, another length), or undefined when it is whole. */
  async check(id: string, storedBytes: number): Promise<string | undefined> {
    const there = await this.to.openRead(id);
    if (there === undefined) return `attachment ${id} is missing in the target`;
    there.stream.destroy();
    return there.size === storedBytes
      ? undefined
      : `attachment ${id} has ${there.size} bytes in the target, ${storedBytes} recorded`;
  }
}

/**
 * SHA-256 of an attachment's plaintext, decrypted with the side's own keyring and storage (MVES
 * checks every chunk on the way); "missing" when nothing is stored. Nothing decrypted is kept.
 */
export async function plaintextDigest(side: AttachmentSide, id: string, patientId: string): Promise<string> {
  const stored = await side.storage.openRead(id);
  if (stored === undefined) return 'missing';
  const ctx = attachmentContext(id, patientId, 'content');
  const dek = await side.dataKeys.dekFor(side.db, ctx);
  const hash = createHash('sha256');
  try {
    await pipeline(
      stored.stream,
      createOpenStream(ctx, dek),
      new Writable({
        write: (chunk: Buffer, _enc, done) => {
          hash.update(chunk);
          done();
        },
      }),
    );
  } finally {
    dek.fill(0);
  }
  return hash.digest('hex');
}

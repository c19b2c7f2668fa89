import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  attachmentChunkExtent,
  deleteAttachmentChunks,
  insertAttachmentChunk,
  readAttachmentChunk,
} from '../../store/attachment-chunk-repository.js';
import type { Db } from '../../store/database.js';
import type { AttachmentStorage } from './attachment-storage.js';

/** Bytes per stored piece: a few MVES records, one row each (TOAST stores it out of line). */
export const STORED_CHUNK_BYTES = 256 * 1024;

/**
 * Attachment ciphertext in the database (`attachment_chunks`, PostgreSQL): the MVES stream cut
 * into pieces of {@link STORED_CHUNK_BYTES}, one row per piece keyed by (attachment id, index).
 * Each piece is inserted in its own statement as the upload streams in, and the writer waits for
 * it before taking more (backpressure to the client), so memory holds one piece whatever the
 * size; a download reads one piece at a time as the client takes them. Pieces are only bytes:
 * order, truncation and tampering are caught by MVES itself (chunk index and final flag are in
 * every nonce), and the row's `stored_bytes` is compared with their total before any byte is sent.
 * Written before the row like a file (no long transaction holds a connection while a slow client
 * uploads); an upload that dies leaves pieces with a DEK and no row, removed by the sweep.
 */
export class AttachmentChunks implements AttachmentStorage {
  constructor(private readonly db: Db) {}

  async write(id: string, source: Readable, stages: readonly Transform[]): Promise<number> {
    let idx = 0;
    let total = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    // The pipeline rejects as soon as any stage fails (a size limit, a cut connection), while the
    // sink may still be inserting a piece. Clean-up waits for that insert and stops any further
    // one; otherwise the piece could commit after the delete and stay behind with no row.
    let failed = false;
    let inFlight: Promise<void> = Promise.resolve();
    const store = async (piece: Buffer): Promise<void> => {
      if (failed) throw new Error('attachment upload already failed');
      await insertAttachmentChunk(this.db, id, idx++, piece);
      total += piece.length;
    };
    const track = (work: Promise<void>, callback: (err?: Error | null) => void): void => {
      inFlight = work;
      work.then(() => callback(), callback);
    };
    const flushFull = async (): Promise<void> => {
      while (pendingBytes >= STORED_CHUNK_BYTES) {
        const all = Buffer.concat(pending, pendingBytes);
        await store(all.subarray(0, STORED_CHUNK_BYTES));
        const rest = all.subarray(STORED_CHUNK_BYTES);
        pending = rest.length > 0 ? [Buffer.from(rest)] : [];
        pendingBytes = rest.length;
      }
    };
    const sink = new Writable({
      highWaterMark: STORED_CHUNK_BYTES,
      write: (chunk: Buffer, _encoding, callback) => {
        pending.push(chunk);
        pendingBytes += chunk.length;
        track(flushFull(), callback);
      },
      final: (callback) => {
        const last = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        track(last.length > 0 ? store(last) : Promise.resolve(), callback);
      },
    });
    try {
      await pipeline([source, ...stages, sink]);
      return total;
    } catch (err) {
      failed = true;
      await inFlight.catch(() => undefined);
      await deleteAttachmentChunks(this.db, id).catch(() => undefined);
      throw err;
    }
  }

  /** Each piece was committed as it was inserted: nothing left to do. */
  async commit(_id: string): Promise<void> {}

  async remove(id: string): Promise<void> {
    await deleteAttachmentChunks(this.db, id);
  }

  async openRead(id: string): Promise<{ size: number; stream: Readable } | undefined> {
    const { count, bytes } = await attachmentChunkExtent(this.db, id);
    if (count === 0) return undefined;
    const db = this.db;
    async function* pieces(): AsyncGenerator<Buffer> {
      for (let idx = 0; idx < count; idx++) {
        const piece = await readAttachmentChunk(db, id, idx);
        // A missing piece ends the stream early: MVES reports the truncation.
        if (piece === undefined) return;
        yield piece;
      }
    }
    // highWaterMark 1 (object count): one piece read ahead at most.
    return { size: bytes, stream: Readable.from(pieces(), { objectMode: false, highWaterMark: 1 }) };
  }

  /** Unfinished uploads are found through their DEKs (the service's sweep), not here. */
  async sweepTemp(_before: number): Promise<number> {
    return 0;
  }
}

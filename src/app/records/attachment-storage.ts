import type { Readable, Transform } from 'node:stream';

/**
 * Where an attachment's stored stream (MVES ciphertext) lives. Two places, one protocol: the
 * stream is written whole and made durable (`write`, then `commit`) BEFORE the attachment row and
 * its ledger entry are committed together, so a committed row never points at nothing; what a
 * crash leaves behind has a DEK without a row, which the service's sweep finds and `remove`s.
 *
 * - {@link AttachmentFiles}: files under the data folder (SQLite: one server, one disk);
 * - {@link AttachmentChunks}: pieces in the database (PostgreSQL: every server reads what any
 *   server wrote).
 */
export interface AttachmentStorage {
  /**
   * Streams `source` through `stages` into the storage of `id`, with backpressure end to end
   * (memory stays at a few chunks whatever the size); returns the stored bytes. On any error
   * what was written is removed and the error rethrown.
   */
  write(id: string, source: Readable, stages: readonly Transform[]): Promise<number>;
  /** Makes a completed write visible to `openRead` (and durable, where that is a separate step). */
  commit(id: string): Promise<void>;
  /** Removes whatever exists of `id`; nothing there is fine. */
  remove(id: string): Promise<void>;
  /** The stored stream of `id` and its length; undefined when there is none. */
  openRead(id: string): Promise<{ size: number; stream: Readable } | undefined>;
  /** Removes unfinished writes older than `before` that only this storage can see; returns how many. */
  sweepTemp(before: number): Promise<number>;
}

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AttachmentStorage } from './attachment-storage.js';

/**
 * Where attachment ciphertext lives on disk, and the write protocol that keeps it consistent:
 *
 *     <data dir>/attachments/tmp/<id>.part   while the upload streams in
 *     <data dir>/attachments/<id>.mves       once complete (fsynced, then renamed, then the
 *                                            directory fsynced), before the row is committed
 *
 * A file is only ever renamed into place whole, so a reader never sees a partial one; a row is
 * only committed after its file is durable, so a committed row never points at nothing. What a
 * crash can leave (a .part, or a .mves without row) is removed by the service's `sweep`.
 */
export class AttachmentFiles implements AttachmentStorage {
  readonly dir: string;
  readonly tmpDir: string;
  private ready: Promise<void> | null = null;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'attachments');
    this.tmpDir = path.join(this.dir, 'tmp');
  }

  /** Ids are random UUIDs made by the service; checked anyway, since they become paths. */
  private static checkId(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new TypeError('attachment id is not a UUID');
    return id;
  }

  tmpPath(id: string): string {
    return path.join(this.tmpDir, `${AttachmentFiles.checkId(id)}.part`);
  }

  finalPath(id: string): string {
    return path.join(this.dir, `${AttachmentFiles.checkId(id)}.mves`);
  }

  private ensureDirs(): Promise<void> {
    this.ready ??= fsp.mkdir(this.tmpDir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.ready;
  }

  /**
   * Streams `source` through `stages` into the temp file of `id` and makes it durable (fsync).
   * Backpressure runs end to end (pipeline), so memory stays at a few chunks whatever the size.
   * Returns the bytes written. On any error the temp file is removed and the error rethrown.
   */
  async write(id: string, source: Readable, stages: readonly Transform[]): Promise<number> {
    await this.ensureDirs();
    const tmp = this.tmpPath(id);
    // flush: fsync before close; pipeline settles only once the stream closed, so on success the
    // bytes are durable.
    const sink = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600, flush: true });
    try {
      await pipeline([source, ...stages, sink]);
      return sink.bytesWritten;
    } catch (err) {
      // The pipeline rejects before the sink has closed, and even before a pending open has
      // created the file: removing it then would let the open create it again afterwards.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }

  /** Moves a complete temp file into place and makes the rename durable. */
  async commit(id: string): Promise<void> {
    await fsp.rename(this.tmpPath(id), this.finalPath(id));
    const dir = await fsp.open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Removes whatever exists of `id` (temp or final); missing files are fine. */
  async remove(id: string): Promise<void> {
    await fsp.rm(this.tmpPath(id), { force: true });
    await fsp.rm(this.finalPath(id), { force: true });
  }

  /**
   * Opens the stored file of `id` for reading; undefined when it does not exist (moved or
   * deleted behind our back: the caller treats that as an integrity failure).
   */
  async openRead(id: string): Promise<{ size: number; stream: Readable } | undefined> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.finalPath(id), fs.constants.O_RDONLY);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const { size } = await handle.stat();
      // 64 KiB + tag: about one stream record per read.
      return { size, stream: handle.createReadStream({ highWaterMark: 64 * 1024 + 16 }) };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /**
   * Removes temp files last modified before `before` (uploads that died with their process;
   * their DEKs are found and removed by the service). Returns how many were removed.
   */
  async sweepTemp(before: number): Promise<number> {
    await this.ensureDirs();
    let removed = 0;
    for (const name of await fsp.readdir(this.tmpDir)) {
      if (!name.endsWith('.part')) continue;
      const file = path.join(this.tmpDir, name);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (stat !== undefined && stat.mtimeMs < before) {
        await fsp.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import type { AttachmentStorage } from '../../src/app/records/index.js';
import { AttachmentTransfer } from '../../src/app/store-move/attachment-transfer.js';

/** An in-memory storage: what the transfer sees of files or chunks. */
class MemoryStorage implements AttachmentStorage {
  readonly stored = new Map<string, Buffer>();
  readonly removed: string[] = [];
  async write(id: string, source: Readable, stages: readonly Transform[]): Promise<number> {
    const parts: Buffer[] = [];
    await pipeline([
      source,
      ...stages,
      new Writable({
        write: (c: Buffer, _e, done) => {
          parts.push(c);
          done();
        },
      }),
    ]);
    this.stored.set(id, Buffer.concat(parts));
    return this.stored.get(id)!.length;
  }
  async commit(): Promise<void> {}
  async remove(id: string): Promise<void> {
    this.removed.push(id);
    this.stored.delete(id);
  }
  async openRead(id: string): Promise<{ size: number; stream: Readable } | undefined> {
    const b = this.stored.get(id);
    return b === undefined ? undefined : { size: b.length, stream: Readable.from([b]) };
  }
  async sweepTemp(): Promise<number> {
    return 0;
  }
}

describe('AttachmentTransfer (store migrate)', () => {
  it('copies the stored bytes as they are, replacing what a killed copy left', async () => {
    const from = new MemoryStorage();
    const to = new MemoryStorage();
    from.stored.set('a', Buffer.from('MVES-ciphertext'));
    to.stored.set('a', Buffer.from('MVES-cipher')); // a copy cut short
    const t = new AttachmentTransfer(from, to);
    expect(await t.copy('a')).toBe(15);
    expect(to.removed).toEqual(['a']);
    expect(to.stored.get('a')).toEqual(Buffer.from('MVES-ciphertext'));
    expect(await t.check('a', 15)).toBeUndefined();
  });

  it('refuses an attachment with nothing stored in the source; names a missing or short copy', async () => {
    const from = new MemoryStorage();
    const to = new MemoryStorage();
    const t = new AttachmentTransfer(from, to);
    const err = await t.copy('gone').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('integrity_failure');
    expect(await t.check('gone', 10)).toBe('attachment gone is missing in the target');
    to.stored.set('short', Buffer.alloc(4));
    expect(await t.check('short', 10)).toBe('attachment short has 4 bytes in the target, 10 recorded');
  });
});

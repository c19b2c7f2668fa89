import type { Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes bytes through unchanged while hashing them and counting them (for a manifest digest, a
 * signature over the file, and a progress bar).
 */
export class HashTap extends Transform {
  bytes = 0;
  constructor(
    private readonly hash: Hash,
    private readonly onBytes: (n: number) => void = () => undefined,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes(this.bytes);
    done(null, chunk);
  }
}

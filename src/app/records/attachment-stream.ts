import { pipeline, Readable } from 'node:stream';
import { createOpenStream } from '../../crypto/envelope-stream.js';
import type { EnvelopeContext } from '../../crypto/envelope-format.js';
import { IntegrityError, UnsupportedFormatError } from '../../crypto/errors.js';

/** Errors that mean the stored bytes are not what was written (tampered, moved, truncated). */
export const isIntegrityError = (err: unknown): err is Error =>
  err instanceof IntegrityError || err instanceof UnsupportedFormatError;

/**
 * Decrypts a stored attachment stream, verifying the header (key commitment) and the FIRST chunk
 * before it resolves: a file that is tampered with at its start, moved to another row or sealed
 * under another key is refused before any response header is sent (the caller answers 422).
 * A failure in a later chunk can only surface mid-body; it errors the returned stream (the HTTP
 * layer then destroys the socket, so the client sees a broken download, never wrong bytes) and
 * calls `onLateFailure` so it is recorded.
 */
export async function openVerified(
  ciphertext: Readable,
  ctx: EnvelopeContext,
  dek: Buffer,
  onLateFailure: (err: Error) => void,
): Promise<Readable> {
  // pipeline: destroying either end (client gone, integrity failure) closes the file too.
  const plaintext = pipeline(ciphertext, createOpenStream(ctx, dek), () => undefined);
  const chunks = plaintext[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // Throws here for a failure in the header or first chunk (or the only chunk of a small file).
  const first = await chunks.next();
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.done === true) return;
    yield first.value;
    try {
      for (;;) {
        const next = await chunks.next();
        if (next.done === true) return;
        yield next.value;
      }
    } catch (err) {
      if (isIntegrityError(err)) onLateFailure(err);
      throw err;
    } finally {
      await chunks.return?.();
    }
  }
  const out = Readable.from(rest(), { objectMode: false, highWaterMark: 64 * 1024 });
  // Destroyed before its first read (client gone), the generator never runs its finally.
  out.once('close', () => void chunks.return?.());
  return out;
}

import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDek, openWithDek, sealWithDek, type EnvelopeContext } from '../../src/crypto/envelope.js';
import { createOpenStream, createSealStream, DEFAULT_CHUNK_SIZE } from '../../src/crypto/envelope-stream.js';
import { IntegrityError, UnsupportedFormatError } from '../../src/crypto/errors.js';

const ctx: EnvelopeContext = { table: 'attachments', rowId: 'att-1', patientId: 'pat-1', field: 'content' };
const dek = generateDek();
const C = 1024; // small chunk size for the tamper tests
const HEADER = 81;
const TAG = 16;
const RECORD = C + TAG;

// A handle on V8's collector, so the memory check measures live buffers rather than garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Splits `bytes` into pieces of `size` (the last may be shorter), as views. */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

async function sealAll(
  plaintext: Buffer,
  chunkSize = C,
  writeSize = 700,
  c = ctx,
  key = dek,
): Promise<Buffer> {
  let out: Buffer = Buffer.alloc(0);
  await pipeline(
    Readable.from(pieces(plaintext, writeSize)),
    createSealStream(c, key, { chunkSize }),
    async (s) => {
      out = await collect(s);
    },
  );
  return out;
}

async function openAll(sealed: Buffer, writeSize = 500, c = ctx, key = dek): Promise<Buffer> {
  let out: Buffer = Buffer.alloc(0);
  await pipeline(Readable.from(pieces(sealed, writeSize)), createOpenStream(c, key), async (s) => {
    out = await collect(s);
  });
  return out;
}

/** Opens `sealed` and returns the error the pipeline rejected with. */
async function openError(sealed: Buffer, c = ctx, key = dek): Promise<unknown> {
  try {
    await openAll(sealed, 500, c, key);
  } catch (err) {
    return err;
  }
  throw new Error('expected the open stream to fail');
}

async function integrityReason(sealed: Buffer, c = ctx, key = dek): Promise<string> {
  const err = await openError(sealed, c, key);
  expect(err).toBeInstanceOf(IntegrityError);
  return (err as IntegrityError).reason;
}

/** Flips bits of one byte in place and returns the buffer. */
function flip(bytes: Buffer, at: number, mask: number): Buffer {
  bytes[at] = (bytes[at] as number) ^ mask;
  return bytes;
}

/** Byte range of sealed record `i` (0-based) in a blob sealed with chunk size C. */
const record = (sealed: Buffer, i: number): Buffer =>
  sealed.subarray(HEADER + i * RECORD, HEADER + (i + 1) * RECORD);

describe('streaming round trip', () => {
  it.each([
    ['0 B', 0, C],
    ['1 B', 1, C],
    ['one byte less than a chunk', C - 1, C],
    ['exactly one chunk', C, C],
    ['an exact multiple of the chunk size', 4 * C, C],
    ['one byte more than a multiple', 4 * C + 1, C],
    ['1 MB (default chunk size)', 1024 * 1024, DEFAULT_CHUNK_SIZE],
  ])('round-trips %s', async (_name, size, chunkSize) => {
    const plaintext = randomBytes(size);
    const sealed = await sealAll(plaintext, chunkSize, 4096);
    expect((await openAll(sealed, 3000)).equals(plaintext)).toBe(true);
  });

  it('writes one empty final chunk for 0 B and no empty trailing chunk for an exact multiple', async () => {
    const empty = await sealAll(Buffer.alloc(0));
    expect(empty).toHaveLength(HEADER + TAG);
    expect(empty.subarray(0, 4).toString('latin1')).toBe('MVES');
    expect(empty.readUInt32BE(6)).toBe(C);
    expect(await sealAll(randomBytes(3 * C))).toHaveLength(HEADER + 3 * RECORD);
  });

  it('gives the same plaintext whatever the write sizes on either side (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5 * C }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 3000 }),
        async (size, sealWrites, openWrites) => {
          const plaintext = randomBytes(size);
          const sealed = await sealAll(plaintext, C, sealWrites);
          expect(sealed).toHaveLength(HEADER + Math.max(1, Math.ceil(size / C)) * TAG + size);
          expect((await openAll(sealed, openWrites)).equals(plaintext)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('accepts one-byte writes', async () => {
    const plaintext = randomBytes(2 * C + 3);
    expect((await openAll(await sealAll(plaintext, C, 1), 1)).equals(plaintext)).toBe(true);
  });

  it('refuses a chunk size outside 64..16 MiB', () => {
    for (const chunkSize of [0, 63, 1.5, 16 * 1024 * 1024 + 1]) {
      expect(() => createSealStream(ctx, dek, { chunkSize })).toThrow(RangeError);
    }
    expect(() => createSealStream(ctx, Buffer.alloc(16))).toThrow(TypeError);
    expect(() => createOpenStream(ctx, Buffer.alloc(16))).toThrow(TypeError);
  });
});

describe('streaming 50 MB with bounded memory', () => {
  it('round-trips 50 MB of pseudo-random data, hashed in and out, without holding it', async () => {
    const total = 50 * 1024 * 1024;
    const hashIn = createHash('sha256');
    const hashOut = createHash('sha256');
    // Deterministic pseudo-random bytes: an AES-CTR keystream under a fixed key, in odd-sized
    // pieces so writes straddle chunk boundaries.
    const keystream = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 0));
    const zeros = Buffer.alloc(50_000);
    let produced = 0;
    const source = new Readable({
      read() {
        if (produced >= total) return void this.push(null);
        const piece = keystream.update(zeros.subarray(0, Math.min(zeros.length, total - produced)));
        produced += piece.length;
        hashIn.update(piece);
        this.push(piece);
      },
    });
    // Live buffer memory, measured after a full collection so garbage does not count.
    const liveBuffers = (): number => {
      // Twice: V8 frees dead ArrayBuffers on a concurrent sweeper that the next collection joins.
      collectGarbage();
      collectGarbage();
      return process.memoryUsage().arrayBuffers;
    };
    const baseline = liveBuffers();
    let peak = 0;
    let samples = 0;
    let received = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        hashOut.update(chunk);
        received += chunk.length;
        if (received % (5 * 1024 * 1024) < chunk.length) {
          peak = Math.max(peak, liveBuffers() - baseline);
          samples++;
        }
        callback();
      },
    });
    await pipeline(source, createSealStream(ctx, dek), createOpenStream(ctx, dek), sink);
    expect(received).toBe(total);
    expect(hashOut.digest('hex')).toBe(hashIn.digest('hex'));
    // What the pipeline holds at any time is a few chunks and stream buffers, not the blob.
    expect(samples).toBeGreaterThanOrEqual(9);
    expect(peak).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('streaming tampering', () => {
  const plaintext = randomBytes(5 * C + 100); // records 0..4 full, record 5 final (100 B)
  let sealed: Buffer = Buffer.alloc(0);
  const sealedOnce = async (): Promise<Buffer> => {
    if (sealed.length === 0) sealed = await sealAll(plaintext);
    return sealed;
  };

  it('fails if the final chunk is dropped (truncation at a chunk boundary)', async () => {
    const s = await sealedOnce();
    expect(await integrityReason(s.subarray(0, HEADER + 5 * RECORD))).toBe(
      'stream final chunk authentication',
    );
  });

  it('fails if the last chunk is truncated or the stream is cut mid-chunk', async () => {
    const s = await sealedOnce();
    for (const cut of [1, 15, 16, 17, 100, 116, RECORD + 116, 3 * RECORD + 500]) {
      expect(await openError(s.subarray(0, s.length - cut))).toBeInstanceOf(IntegrityError);
    }
  });

  it('fails if the stream ends inside the header or inside the first tag', async () => {
    const s = await sealedOnce();
    for (const length of [0, 1, 6, HEADER - 1]) {
      expect(await integrityReason(s.subarray(0, length))).toBe('truncated stream header');
    }
    expect(await integrityReason(s.subarray(0, HEADER + 15))).toBe('truncated stream');
  });

  it('fails if a middle chunk is dropped', async () => {
    const s = await sealedOnce();
    const dropped = Buffer.concat([s.subarray(0, HEADER + 2 * RECORD), s.subarray(HEADER + 3 * RECORD)]);
    expect(await openError(dropped)).toBeInstanceOf(IntegrityError);
  });

  it('fails if two chunks are swapped', async () => {
    const s = await sealedOnce();
    const swapped = Buffer.concat([
      s.subarray(0, HEADER),
      record(s, 1),
      record(s, 0),
      s.subarray(HEADER + 2 * RECORD),
    ]);
    expect(await integrityReason(swapped)).toBe('stream chunk authentication');
  });

  it('fails if a chunk is duplicated', async () => {
    const s = await sealedOnce();
    const duplicated = Buffer.concat([
      s.subarray(0, HEADER + 2 * RECORD),
      record(s, 1),
      s.subarray(HEADER + 2 * RECORD),
    ]);
    expect(await openError(duplicated)).toBeInstanceOf(IntegrityError);
  });

  it('fails if bytes are appended after the final chunk', async () => {
    const s = await sealedOnce();
    for (const extra of [Buffer.alloc(1), randomBytes(16), record(s, 0)]) {
      expect(await openError(Buffer.concat([s, extra]))).toBeInstanceOf(IntegrityError);
    }
  });

  it('fails if two sealed streams are spliced together', async () => {
    const s = await sealedOnce();
    const other = await sealAll(plaintext);
    const spliced = Buffer.concat([s.subarray(0, HEADER + 2 * RECORD), other.subarray(HEADER + 2 * RECORD)]);
    expect(await openError(spliced)).toBeInstanceOf(IntegrityError);
  });

  it('fails if any header byte is altered (IntegrityError except an unknown version or algorithm)', async () => {
    const s = await sealedOnce();
    for (let at = 0; at < HEADER; at++) {
      const altered = flip(Buffer.from(s), at, 0x01);
      const err = await openError(altered);
      expect(err, `header byte ${at}`).toBeInstanceOf(
        at === 4 || at === 5 ? UnsupportedFormatError : IntegrityError,
      );
    }
  });

  it('fails if a chunk’s ciphertext or tag is altered', async () => {
    const s = await sealedOnce();
    for (const at of [HEADER, HEADER + C - 1, HEADER + C, HEADER + 3 * RECORD - 1, s.length - 1]) {
      const altered = flip(Buffer.from(s), at, 0x80);
      expect(await openError(altered)).toBeInstanceOf(IntegrityError);
    }
  });

  it('fails with "key commitment" under another DEK, before any chunk is decrypted', async () => {
    expect(await integrityReason(await sealedOnce(), ctx, generateDek())).toBe('key commitment');
  });

  it('fails under another row’s, patient’s, field’s or table’s context', async () => {
    const s = await sealedOnce();
    for (const other of [
      { ...ctx, rowId: 'att-2' },
      { ...ctx, patientId: null },
      { ...ctx, patientId: '' },
      { ...ctx, field: 'thumbnail' },
      { ...ctx, table: 'records' },
    ]) {
      expect(await integrityReason(s, other)).toBe('stream chunk authentication');
    }
  });

  it('is not interchangeable with a one-shot payload', async () => {
    const s = await sealedOnce();
    expect(() => openWithDek(s, ctx, dek)).toThrow(IntegrityError);
    expect(await openError(sealWithDek(plaintext, ctx, dek))).toBeInstanceOf(IntegrityError);
  });
});

describe('stream flow', () => {
  it('releases each chunk only after verifying it: a tampered chunk 2 yields chunks 0-1 and nothing more', async () => {
    const plaintext = randomBytes(5 * C);
    const altered = await sealAll(plaintext);
    flip(altered, HEADER + 2 * RECORD + 10, 0x01);
    const opener = createOpenStream(ctx, dek);
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let twoChunksIn: () => void = () => undefined;
    const twoChunks = new Promise<void>((resolve) => (twoChunksIn = resolve));
    opener.on('data', (part: Buffer) => {
      received.push(part);
      receivedBytes += part.length;
      if (receivedBytes >= 2 * C) twoChunksIn();
    });
    const failed = new Promise<unknown>((resolve) => opener.on('error', resolve));
    // Up to one byte into record 2: records 0 and 1 are known not to be last, so they open.
    opener.write(altered.subarray(0, HEADER + 2 * RECORD + 1));
    await twoChunks;
    opener.end(altered.subarray(HEADER + 2 * RECORD + 1));
    expect(await failed).toBeInstanceOf(IntegrityError);
    expect(Buffer.concat(received).equals(plaintext.subarray(0, 2 * C))).toBe(true);
  });

  it('emits a chunk as soon as the next byte shows it is not the last, before the input ends', async () => {
    const plaintext = randomBytes(3 * C);
    const sealed = await sealAll(plaintext);
    const opener = createOpenStream(ctx, dek);
    const firstOut = new Promise<Buffer>((resolve) => opener.once('data', resolve));
    opener.write(sealed.subarray(0, HEADER + RECORD));
    opener.write(sealed.subarray(HEADER + RECORD, HEADER + RECORD + 1));
    expect((await firstOut).equals(plaintext.subarray(0, C))).toBe(true);
    opener.destroy();
  });

  it('applies backpressure: an unread seal stream stops accepting writes', () => {
    const sealer = createSealStream(ctx, dek, { chunkSize: C });
    let accepted = 0;
    while (accepted < 1000 && sealer.write(Buffer.alloc(4096))) accepted++;
    expect(accepted).toBeLessThan(1000);
    expect(sealer.readableLength).toBeLessThan(64 * 1024);
    sealer.destroy();
  });
});

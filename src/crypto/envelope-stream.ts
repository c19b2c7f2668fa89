/**
 * Streaming envelope encryption for large attachments: the STREAM construction (Hoang, Reyhanitabar,
 * Rogaway, Vizár, "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance") as in
 * Tink's AES-GCM-HKDF streaming AEAD. Memory use is one chunk, whatever the blob size.
 *
 * Stream, format version 1 (all integers big-endian):
 *
 *     offset  size  field
 *          0     4  magic "MVES"
 *          4     1  format version (1)
 *          5     1  algorithm id (1 = AES-256-GCM STREAM, HKDF-SHA256, key commitment)
 *          6     4  chunk size C: plaintext bytes per chunk (uint32, 64..16 MiB)
 *         10    32  salt (random per stream)
 *         42    32  key commitment (HKDF output bytes 32..63)
 *         74     7  nonce prefix (random per stream)
 *         81        chunks: chunk i = ciphertext || tag (16)
 *                   every chunk but the last has exactly C plaintext bytes, the last 0..C
 *                   (a 0-byte blob is one empty final chunk)
 *
 *     stream key || commitment = HKDF-SHA256(ikm = DEK, salt, info = "medvault/stream-key" 01 01, 64)
 *     nonce of chunk i = prefix (7) || i (uint32) || final flag (1 byte: 1 on the last chunk, else 0)
 *     AAD of every chunk = bytes 0..80 (the header) || context encoding ("medvault/stream")
 *
 * The index in the nonce detects reordered, dropped or duplicated chunks; the final flag detects
 * truncation at a chunk boundary and data appended after the final chunk.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { IntegrityError } from './errors.js';
import {
  assertKey,
  checkCommitment,
  checkPrefix,
  COMMITMENT_BYTES,
  deriveKeys,
  encodeAad,
  GCM,
  GCM_OPTIONS,
  infoLabel,
  NONCE_BYTES,
  PREFIX_BYTES,
  SALT_BYTES,
  TAG_BYTES,
  writePrefix,
  type EnvelopeContext,
} from './envelope-format.js';

/** Plaintext bytes per chunk unless the caller chooses otherwise. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Smallest chunk size accepted (keeps the tag overhead under 25%). */
export const MIN_CHUNK_SIZE = 64;
/** Largest chunk size accepted: bounds what a reader buffers for a header it does not yet trust. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

const MAGIC = Buffer.from('MVES', 'latin1');
const ALG_STREAM_AES256GCM_HKDF_COMMIT = 1;
const PREFIX_NONCE_BYTES = 7;
const CHUNK_SIZE_AT = PREFIX_BYTES;
const SALT_AT = CHUNK_SIZE_AT + 4;
const COMMITMENT_AT = SALT_AT + SALT_BYTES;
const NONCE_PREFIX_AT = COMMITMENT_AT + COMMITMENT_BYTES;
const HEADER_BYTES = NONCE_PREFIX_AT + PREFIX_NONCE_BYTES;
const MAX_CHUNK_INDEX = 0xffffffff;
const INFO = infoLabel('medvault/stream-key', ALG_STREAM_AES256GCM_HKDF_COMMIT);

/** A FIFO of byte slices: bytes are handed on as zero-copy views, never gathered needlessly. */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  /** Removes the first `n` bytes (n <= length) as a list of views. */
  take(n: number): Buffer[] {
    const out: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const head = this.parts[0] as Buffer;
      if (head.length <= left) {
        out.push(head);
        this.parts.shift();
        left -= head.length;
      } else {
        out.push(head.subarray(0, left));
        this.parts[0] = head.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    return out;
  }

  /** Removes the first `n` bytes as one Buffer (copies only when they span several slices). */
  takeContiguous(n: number): Buffer {
    const parts = this.take(n);
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, n);
  }
}

/** Per-stream state both directions share: the derived key, nonce prefix, AAD and chunk counter. */
class ChunkCipher {
  private index = 0;
  constructor(
    private readonly key: Buffer,
    private readonly noncePrefix: Buffer,
    private readonly aad: Buffer,
  ) {}

  /** The next chunk's nonce (callers check the counter first: wrapping it would reuse a nonce). */
  private nextNonce(final: boolean): Buffer {
    const nonce = Buffer.allocUnsafe(NONCE_BYTES);
    this.noncePrefix.copy(nonce, 0);
    nonce.writeUInt32BE(this.index, PREFIX_NONCE_BYTES);
    nonce[NONCE_BYTES - 1] = final ? 1 : 0;
    this.index++;
    return nonce;
  }

  seal(parts: Buffer[], final: boolean, push: (b: Buffer) => void): void {
    if (this.index > MAX_CHUNK_INDEX) throw new RangeError('stream longer than 2^32 chunks');
    const cipher = createCipheriv(GCM, this.key, this.nextNonce(final), GCM_OPTIONS);
    cipher.setAAD(this.aad);
    for (const part of parts) push(cipher.update(part));
    cipher.final();
    push(cipher.getAuthTag());
  }

  open(parts: Buffer[], tag: Buffer, final: boolean): Buffer[] {
    if (this.index > MAX_CHUNK_INDEX) throw new IntegrityError('stream has too many chunks');
    const decipher = createDecipheriv(GCM, this.key, this.nextNonce(final), GCM_OPTIONS);
    decipher.setAAD(this.aad);
    decipher.setAuthTag(tag);
    const plain = parts.map((part) => decipher.update(part));
    try {
      decipher.final();
    } catch {
      // Verify before release: a chunk's plaintext is pushed only once its tag checked out.
      for (const p of plain) p.fill(0);
      throw new IntegrityError(final ? 'stream final chunk authentication' : 'stream chunk authentication');
    }
    return plain;
  }

  wipe(): void {
    this.key.fill(0);
  }
}

function checkChunkSize(size: number): boolean {
  return Number.isInteger(size) && size >= MIN_CHUNK_SIZE && size <= MAX_CHUNK_SIZE;
}

/** Runs one Transform step; a throw becomes the stream's 'error' (so `pipeline` rejects with it). */
function settle(callback: TransformCallback, work: () => void): void {
  try {
    work();
  } catch (err) {
    return callback(err as Error);
  }
  callback(); // outside the try: a throw from downstream must not call back twice
}

class SealStream extends Transform {
  private readonly pending = new ByteQueue();
  private readonly chunks: ChunkCipher;
  private header: Buffer | null;
  private readonly pushBound = (b: Buffer): void => {
    if (b.length > 0) this.push(b);
  };

  constructor(
    ctx: EnvelopeContext,
    dek: Buffer,
    private readonly chunkSize: number,
  ) {
    super();
    assertKey(dek, 'DEK');
    if (!checkChunkSize(chunkSize)) {
      throw new RangeError(`chunk size must be an integer in ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}`);
    }
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    writePrefix(header, MAGIC, ALG_STREAM_AES256GCM_HKDF_COMMIT);
    header.writeUInt32BE(chunkSize, CHUNK_SIZE_AT);
    const random = randomBytes(SALT_BYTES + PREFIX_NONCE_BYTES);
    random.copy(header, SALT_AT, 0, SALT_BYTES);
    random.copy(header, NONCE_PREFIX_AT, SALT_BYTES);
    // A fresh salt gives each stream its own key, so the 7-byte random prefix only has to keep
    // chunks of this one stream apart (the counter does that) and never collides across streams.
    const { key, commitment } = deriveKeys(dek, header.subarray(SALT_AT, COMMITMENT_AT), INFO);
    commitment.copy(header, COMMITMENT_AT);
    // The header is pushed to the consumer, who may reuse its memory: keep our own copies.
    this.chunks = new ChunkCipher(
      key,
      Buffer.from(header.subarray(NONCE_PREFIX_AT)),
      encodeAad(header, 'medvault/stream', ctx),
    );
    this.header = header;
  }

  private sendHeader(): void {
    if (this.header === null) return;
    this.push(this.header);
    this.header = null;
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    settle(callback, () => {
      this.sendHeader();
      this.pending.push(data);
      // Strictly more than one chunk buffered means this chunk is not the last: the final flag
      // must be known before a chunk is sealed.
      while (this.pending.length > this.chunkSize) {
        this.chunks.seal(this.pending.take(this.chunkSize), false, this.pushBound);
      }
    });
  }

  override _flush(callback: TransformCallback): void {
    settle(callback, () => {
      this.sendHeader();
      this.chunks.seal(this.pending.take(this.pending.length), true, this.pushBound);
      this.chunks.wipe();
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.chunks.wipe();
    callback(err);
  }
}

class OpenStream extends Transform {
  private readonly pending = new ByteQueue();
  private chunks: ChunkCipher | null = null;
  private recordSize = 0;

  constructor(
    private readonly ctx: EnvelopeContext,
    private readonly dek: Buffer,
  ) {
    super();
    assertKey(dek, 'DEK');
  }

  /** Parses and checks the header; the key commitment is checked before any chunk is decrypted. */
  private readHeader(header: Buffer): ChunkCipher {
    checkPrefix(header, MAGIC, ALG_STREAM_AES256GCM_HKDF_COMMIT, 'stream');
    const chunkSize = header.readUInt32BE(CHUNK_SIZE_AT);
    // Bounds the buffering before the header is authenticated (by the first chunk's tag).
    if (!checkChunkSize(chunkSize)) throw new IntegrityError('stream chunk size out of range');
    const { key, commitment } = deriveKeys(this.dek, header.subarray(SALT_AT, COMMITMENT_AT), INFO);
    try {
      checkCommitment(header.subarray(COMMITMENT_AT, NONCE_PREFIX_AT), commitment);
    } catch (err) {
      key.fill(0);
      throw err;
    }
    this.recordSize = chunkSize + TAG_BYTES;
    return new ChunkCipher(
      key,
      Buffer.from(header.subarray(NONCE_PREFIX_AT)),
      encodeAad(header, 'medvault/stream', this.ctx),
    );
  }

  private openRecord(chunks: ChunkCipher, length: number, final: boolean): void {
    const ciphertext = this.pending.take(length - TAG_BYTES);
    const tag = this.pending.takeContiguous(TAG_BYTES);
    for (const plain of chunks.open(ciphertext, tag, final)) {
      if (plain.length > 0) this.push(plain);
    }
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    settle(callback, () => {
      this.pending.push(data);
      if (this.chunks === null) {
        if (this.pending.length < HEADER_BYTES) return;
        this.chunks = this.readHeader(this.pending.takeContiguous(HEADER_BYTES));
      }
      // A record followed by at least one more byte is not the last one; the last record is
      // only known at the end of input, and is opened in _flush with the final flag set.
      while (this.pending.length > this.recordSize) this.openRecord(this.chunks, this.recordSize, false);
    });
  }

  override _flush(callback: TransformCallback): void {
    settle(callback, () => {
      if (this.chunks === null) throw new IntegrityError('truncated stream header');
      if (this.pending.length < TAG_BYTES) throw new IntegrityError('truncated stream');
      this.openRecord(this.chunks, this.pending.length, true);
      this.chunks.wipe();
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.chunks?.wipe();
    callback(err);
  }
}

/**
 * A Transform that turns plaintext into a sealed stream (layout above) under `dek`, bound to
 * `ctx`. Backpressure is the Transform's: chunks are pushed from within `_transform`.
 * @throws TypeError for a malformed DEK; RangeError for a chunk size outside 64..16 MiB.
 */
export function createSealStream(
  ctx: EnvelopeContext,
  dek: Buffer,
  options: { chunkSize?: number } = {},
): Transform {
  return new SealStream(ctx, dek, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
}

/**
 * A Transform that opens a sealed stream, verifying each chunk before pushing its plaintext and
 * buffering at most one chunk. Emits 'error' with IntegrityError when the stream is truncated,
 * extended, reordered, altered, or sealed under another key or context (so `pipeline` rejects),
 * and UnsupportedFormatError for an unknown format version or algorithm.
 * @throws TypeError for a malformed DEK.
 */
export function createOpenStream(ctx: EnvelopeContext, dek: Buffer): Transform {
  return new OpenStream(ctx, dek);
}

/**
 * Envelope encryption (AES-256-GCM) of stored objects: a fresh random 256-bit DEK per object
 * seals the object's bytes (the "payload"); a KEK of the keyring wraps the DEK (see
 * dek-wrap.ts). Payload and wrapped DEK are stored apart, so rotation re-wraps DEKs without
 * touching payload bytes. Both are bound to the object's place by their associated data.
 *
 * Payload, format version 1 (all integers big-endian):
 *
 *     offset  size  field
 *          0     4  magic "MVEP"
 *          4     1  format version (1)
 *          5     1  algorithm id (1 = AES-256-GCM, HKDF-SHA256 key derivation, key commitment)
 *          6    32  salt (random per payload; the AWS Encryption SDK's message id)
 *         38    32  key commitment (HKDF output bytes 32..63)
 *         70    12  nonce (random)
 *         82     n  ciphertext
 *       82+n    16  GCM tag
 *
 *     AES key || commitment = HKDF-SHA256(ikm = DEK, salt, info = "medvault/payload-key" 01 01, 64)
 *     AAD = bytes 0..81 (the header) || context encoding ("medvault/payload", see envelope-format.ts)
 *
 * Wrapped DEK, format version 1 (70 bytes):
 *
 *     offset  size  field
 *          0     4  magic "MVDK"
 *          4     1  format version (1)
 *          5     1  algorithm id (1 = AES-256-GCM under the KEK)
 *          6     4  KEK version (uint32, 1..2^32-1)
 *         10    12  nonce (random)
 *         22    32  encrypted DEK
 *         54    16  GCM tag
 *
 *     AAD = bytes 0..21 (the header) || context encoding ("medvault/dek")
 *
 * Opening checks, in order: length and magic (IntegrityError), format version and algorithm
 * (UnsupportedFormatError), key commitment (IntegrityError "key commitment", before any
 * decryption), then the GCM tag (IntegrityError).
 */
import { createCipheriv, createDecipheriv, randomBytes, type Cipher, type Decipher } from 'node:crypto';
import { IntegrityError } from './errors.js';
import { unwrapDek, wrapDekWithNonce } from './dek-wrap.js';
import {
  asBuffer,
  assertKey,
  checkCommitment,
  checkPrefix,
  COMMITMENT_BYTES,
  deriveKeys,
  encodeAad,
  GCM,
  GCM_OPTIONS,
  infoLabel,
  KEY_BYTES,
  NONCE_BYTES,
  PREFIX_BYTES,
  SALT_BYTES,
  TAG_BYTES,
  writePrefix,
  type EnvelopeContext,
  type Kek,
  type KekLookup,
} from './envelope-format.js';

export { ENVELOPE_FORMAT_VERSION } from './envelope-format.js';
export type {
  EnvelopeContext,
  Kek,
  KekLookup,
  ModuleKek,
  SealedGcm,
  WrappingKek,
} from './envelope-format.js';
export { rewrapDek, unwrapDek, wrapDek, wrappedDekVersion } from './dek-wrap.js';

const MAGIC = Buffer.from('MVEP', 'latin1');
const ALG_AES256GCM_HKDF_COMMIT = 1;
const SALT_AT = PREFIX_BYTES;
const COMMITMENT_AT = SALT_AT + SALT_BYTES;
const NONCE_AT = COMMITMENT_AT + COMMITMENT_BYTES;
const HEADER_BYTES = NONCE_AT + NONCE_BYTES;
const MIN_PAYLOAD_BYTES = HEADER_BYTES + TAG_BYTES;
const INFO = infoLabel('medvault/payload-key', ALG_AES256GCM_HKDF_COMMIT);

/** Fresh random 256-bit data-encryption key (one per object, never reused across objects). */
export function generateDek(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Input bytes per cipher.update call. One update over a large buffer makes Node allocate a fresh
 * output as large; 64 KB pieces copied into one buffer from allocUnsafe measured 2-3x faster at
 * 1 MB (bench/envelope.bench.ts), and below 64 KB this is the one copy a concatenation makes.
 */
const PIECE_BYTES = 64 * 1024;

/** Runs `input` through a GCM cipher or decipher into `out` at `start`, piece by piece. */
function updateInto(cipher: Cipher | Decipher, input: Uint8Array, out: Buffer, start: number): void {
  let at = start;
  for (let i = 0; i < input.length; i += PIECE_BYTES) {
    at += cipher.update(input.subarray(i, i + PIECE_BYTES)).copy(out, at);
  }
  // GCM outputs exactly as many bytes as it is given; should that ever not hold, `out` (from
  // allocUnsafe) would carry stale memory, so fail rather than return it.
  if (at !== start + input.length) throw new Error('AES-GCM output length differs from its input');
}

/** Seals with caller-drawn salt || nonce (44 bytes), so `seal` needs a single random call. */
function sealPayload(plaintext: Uint8Array, ctx: EnvelopeContext, dek: Buffer, saltAndNonce: Buffer): Buffer {
  assertKey(dek, 'DEK');
  // The payload is built in place: header, then ciphertext, then tag; no concatenation.
  const payload = Buffer.allocUnsafe(MIN_PAYLOAD_BYTES + plaintext.length);
  writePrefix(payload, MAGIC, ALG_AES256GCM_HKDF_COMMIT);
  saltAndNonce.copy(payload, SALT_AT, 0, SALT_BYTES);
  saltAndNonce.copy(payload, NONCE_AT, SALT_BYTES, SALT_BYTES + NONCE_BYTES);
  const header = payload.subarray(0, HEADER_BYTES);
  // A random salt per payload gives every payload its own AES key, even when a caller seals
  // twice with one DEK, so nonce reuse under one key is out of reach.
  const { key, commitment } = deriveKeys(dek, header.subarray(SALT_AT, COMMITMENT_AT), INFO);
  commitment.copy(payload, COMMITMENT_AT);
  const cipher = createCipheriv(GCM, key, header.subarray(NONCE_AT), GCM_OPTIONS);
  key.fill(0);
  cipher.setAAD(encodeAad(header, 'medvault/payload', ctx));
  updateInto(cipher, plaintext, payload, HEADER_BYTES);
  cipher.final();
  cipher.getAuthTag().copy(payload, HEADER_BYTES + plaintext.length);
  return payload;
}

/**
 * Seals `plaintext` with an existing DEK (whose wrapped form the caller keeps elsewhere).
 * @returns the payload: header, ciphertext and tag (layout above).
 * @throws TypeError when the DEK is not 32 bytes or the context is malformed.
 */
export function sealWithDek(plaintext: Uint8Array, ctx: EnvelopeContext, dek: Buffer): Buffer {
  return sealPayload(plaintext, ctx, dek, randomBytes(SALT_BYTES + NONCE_BYTES));
}

/**
 * Opens a payload with its DEK.
 * @throws IntegrityError when the payload is malformed, was altered or moved to another
 * context ("payload authentication"), or the DEK is not the one it was sealed with ("key
 * commitment", detected before decryption); UnsupportedFormatError for an unknown format
 * version or algorithm.
 */
export function openWithDek(payload: Uint8Array, ctx: EnvelopeContext, dek: Buffer): Buffer {
  assertKey(dek, 'DEK');
  checkPrefix(payload, MAGIC, ALG_AES256GCM_HKDF_COMMIT, 'payload');
  if (payload.length < MIN_PAYLOAD_BYTES) throw new IntegrityError('truncated payload');
  const blob = asBuffer(payload);
  const header = blob.subarray(0, HEADER_BYTES);
  const { key, commitment } = deriveKeys(dek, header.subarray(SALT_AT, COMMITMENT_AT), INFO);
  try {
    checkCommitment(header.subarray(COMMITMENT_AT, NONCE_AT), commitment);
  } catch (err) {
    key.fill(0);
    throw err;
  }
  const decipher = createDecipheriv(GCM, key, header.subarray(NONCE_AT), GCM_OPTIONS);
  key.fill(0);
  decipher.setAAD(encodeAad(header, 'medvault/payload', ctx));
  decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
  const ciphertext = blob.subarray(HEADER_BYTES, blob.length - TAG_BYTES);
  let plaintext: Buffer;
  if (ciphertext.length <= PIECE_BYTES) {
    plaintext = decipher.update(ciphertext);
  } else {
    plaintext = Buffer.allocUnsafe(ciphertext.length);
    updateInto(decipher, ciphertext, plaintext, 0);
  }
  try {
    decipher.final();
  } catch {
    // Verify before release: unauthenticated plaintext is wiped, never returned.
    plaintext.fill(0);
    throw new IntegrityError('payload authentication');
  }
  return plaintext;
}

/**
 * Seals `plaintext` under a fresh DEK and wraps that DEK under `kek`.
 * @returns the payload (store with the object) and the wrapped DEK (store in data_keys).
 */
export function seal(
  plaintext: Uint8Array,
  ctx: EnvelopeContext,
  kek: Kek,
): { payload: Buffer; wrappedDek: Buffer } {
  // One CSPRNG call for DEK, wrap nonce, salt and payload nonce: each call costs microseconds.
  const random = randomBytes(KEY_BYTES + NONCE_BYTES + SALT_BYTES + NONCE_BYTES);
  const dek = random.subarray(0, KEY_BYTES);
  try {
    const wrappedDek = wrapDekWithNonce(dek, ctx, kek, random.subarray(KEY_BYTES, KEY_BYTES + NONCE_BYTES));
    const payload = sealPayload(plaintext, ctx, dek, random.subarray(KEY_BYTES + NONCE_BYTES));
    return { payload, wrappedDek };
  } finally {
    random.fill(0); // best effort: the plaintext DEK does not outlive this call
  }
}

/**
 * Unwraps the DEK and opens the payload.
 * @throws as {@link unwrapDek} and {@link openWithDek}.
 */
export function open(
  payload: Uint8Array,
  wrappedDek: Uint8Array,
  ctx: EnvelopeContext,
  lookup: KekLookup,
): Buffer {
  const dek = unwrapDek(wrappedDek, ctx, lookup);
  try {
    return openWithDek(payload, ctx, dek);
  } finally {
    dek.fill(0);
  }
}

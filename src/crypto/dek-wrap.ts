/**
 * Wrapping of data-encryption keys (DEKs) by a key-encryption key (KEK) of the keyring.
 * Byte layout (documented with the payload layout in envelope.ts):
 *
 *     offset  size  field
 *          0     4  magic "MVDK"
 *          4     1  format version (1)
 *          5     1  algorithm id (1 = AES-256-GCM under the KEK)
 *          6     4  KEK version, uint32 big-endian (1..2^32-1)
 *         10    12  nonce (random)
 *         22    32  encrypted DEK
 *         54    16  GCM tag
 *                   = 70 bytes; AAD = bytes 0..21 || context encoding ("medvault/dek")
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IntegrityError } from './errors.js';
import {
  assertKek,
  assertKey,
  checkPrefix,
  encodeAad,
  GCM,
  GCM_OPTIONS,
  KEY_BYTES,
  NONCE_BYTES,
  PREFIX_BYTES,
  TAG_BYTES,
  writePrefix,
  type EnvelopeContext,
  type KekLookup,
  type WrappingKek,
} from './envelope-format.js';

const MAGIC = Buffer.from('MVDK', 'latin1');
const ALG_AES256GCM = 1;
const VERSION_AT = PREFIX_BYTES;
const NONCE_AT = VERSION_AT + 4;
const HEADER_BYTES = NONCE_AT + NONCE_BYTES;
/** Total length of a wrapped DEK. */
export const WRAPPED_DEK_BYTES = HEADER_BYTES + KEY_BYTES + TAG_BYTES;

interface ParsedWrappedDek {
  kekVersion: number;
  header: Buffer;
  nonce: Buffer;
  encryptedDek: Buffer;
  tag: Buffer;
}

function parse(wrapped: Uint8Array): ParsedWrappedDek {
  checkPrefix(wrapped, MAGIC, ALG_AES256GCM, 'wrapped DEK');
  if (wrapped.length !== WRAPPED_DEK_BYTES) throw new IntegrityError('wrapped DEK length');
  const blob = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  const kekVersion = blob.readUInt32BE(VERSION_AT);
  if (kekVersion === 0) throw new IntegrityError('wrapped DEK names KEK version 0');
  return {
    kekVersion,
    header: blob.subarray(0, HEADER_BYTES),
    nonce: blob.subarray(NONCE_AT, HEADER_BYTES),
    encryptedDek: blob.subarray(HEADER_BYTES, HEADER_BYTES + KEY_BYTES),
    tag: blob.subarray(HEADER_BYTES + KEY_BYTES),
  };
}

/**
 * Wraps `dek` under `kek` with a caller-supplied nonce (so `seal` can draw all its randomness
 * in one call). Internal: callers outside src/crypto use {@link wrapDek}.
 */
export function wrapDekWithNonce(
  dek: Buffer,
  ctx: EnvelopeContext,
  kek: WrappingKek,
  nonce: Uint8Array,
): Buffer {
  assertKey(dek, 'DEK');
  assertKek(kek);
  if (nonce.length !== NONCE_BYTES) throw new TypeError(`nonce must be ${NONCE_BYTES} bytes`);
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  writePrefix(header, MAGIC, ALG_AES256GCM);
  header.writeUInt32BE(kek.version, VERSION_AT);
  header.set(nonce, NONCE_AT);
  // Random 96-bit nonces under one KEK stay safe for 2^32 wraps (NIST SP 800-38D), far more
  // DEKs than one KEK version will ever wrap before rotation.
  const aad = encodeAad(header, 'medvault/dek', ctx);
  if ('gcm' in kek) {
    // Inside the module: the same AES-256-GCM, so the blob is the same whoever holds the KEK.
    const sealed = kek.gcm.encrypt(header.subarray(NONCE_AT), aad, dek);
    if (sealed.length !== KEY_BYTES + TAG_BYTES) throw new TypeError('module returned a wrong-sized wrap');
    return Buffer.concat([header, sealed], WRAPPED_DEK_BYTES);
  }
  const cipher = createCipheriv(GCM, kek.key, header.subarray(NONCE_AT), GCM_OPTIONS);
  cipher.setAAD(aad);
  const encrypted = cipher.update(dek);
  cipher.final();
  return Buffer.concat([header, encrypted, cipher.getAuthTag()], WRAPPED_DEK_BYTES);
}

/**
 * Wraps a DEK under a KEK, bound to the object's context; the blob names the KEK version.
 * @throws TypeError when the DEK or KEK is malformed.
 */
export function wrapDek(dek: Buffer, ctx: EnvelopeContext, kek: WrappingKek): Buffer {
  return wrapDekWithNonce(dek, ctx, kek, randomBytes(NONCE_BYTES));
}

/**
 * The KEK version a wrapped DEK names, after checking the blob's magic, format, algorithm and
 * length (its authenticity is checked only by {@link unwrapDek}).
 * @throws IntegrityError when the blob is malformed; UnsupportedFormatError for an unknown
 * format version or algorithm.
 */
export function wrappedDekVersion(wrapped: Uint8Array): number {
  return parse(wrapped).kekVersion;
}

/**
 * Unwraps a DEK with the KEK version its blob names.
 * @throws IntegrityError when the blob was altered, moved to another context or wrapped by
 * another key; UnsupportedFormatError for an unknown format; UnknownKeyVersionError (from
 * `lookup`) when the keyring lacks the version.
 */
export function unwrapDek(wrapped: Uint8Array, ctx: EnvelopeContext, lookup: KekLookup): Buffer {
  const parsed = parse(wrapped);
  const kek = lookup(parsed.kekVersion);
  if (kek.version !== parsed.kekVersion) {
    throw new TypeError(`keyring returned KEK version ${kek.version} for version ${parsed.kekVersion}`);
  }
  assertKek(kek);
  const aad = encodeAad(parsed.header, 'medvault/dek', ctx);
  if ('gcm' in kek) {
    const dek = kek.gcm.decrypt(parsed.nonce, aad, Buffer.concat([parsed.encryptedDek, parsed.tag]));
    if (dek.length !== KEY_BYTES) throw new IntegrityError('wrapped DEK length');
    return dek;
  }
  const decipher = createDecipheriv(GCM, kek.key, parsed.nonce, GCM_OPTIONS);
  decipher.setAAD(aad);
  decipher.setAuthTag(parsed.tag);
  const dek = decipher.update(parsed.encryptedDek);
  try {
    decipher.final();
  } catch {
    // Never hand out bytes that failed authentication.
    dek.fill(0);
    throw new IntegrityError('wrapped DEK authentication');
  }
  return dek;
}

/**
 * Re-wraps a DEK under a new KEK (key rotation); the payload it protects is untouched.
 * @throws as {@link unwrapDek}.
 */
export function rewrapDek(
  wrapped: Uint8Array,
  ctx: EnvelopeContext,
  lookup: KekLookup,
  newKek: WrappingKek,
): Buffer {
  const dek = unwrapDek(wrapped, ctx, lookup);
  try {
    return wrapDek(dek, ctx, newKek);
  } finally {
    dek.fill(0); // best effort: the plaintext DEK does not outlive the re-wrap
  }
}

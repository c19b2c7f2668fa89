/**
 * Building blocks shared by the envelope formats (envelope.ts, dek-wrap.ts, envelope-stream.ts):
 * the context and key types, the canonical context encoding that goes into every AAD, the
 * committing key derivation, and the checks that every parser runs on a blob's prefix.
 *
 * The byte layouts themselves are documented at the top of envelope.ts and envelope-stream.ts.
 */
import { hkdfSync, timingSafeEqual } from 'node:crypto';
import { IntegrityError, UnsupportedFormatError } from './errors.js';

/**
 * Where an encrypted object lives. Every field goes into the associated data, so a payload or a
 * wrapped key copied to another table, row, patient or field fails to open.
 */
export interface EnvelopeContext {
  table: string;
  rowId: string;
  /** `null` (not linked to a patient) and `""` are different contexts. */
  patientId: string | null;
  field: string;
}

/** A key-encryption key of the keyring: 32 random bytes and a positive uint32 version. */
export interface Kek {
  version: number;
  key: Buffer;
}

/**
 * AES-256-GCM under a key this process never sees (a key inside a PKCS#11 module): the same
 * algorithm, nonce, associated data and 16-byte tag as Node's, computed elsewhere.
 */
export interface SealedGcm {
  /** Returns ciphertext || tag. */
  encrypt(nonce: Buffer, aad: Buffer, plaintext: Buffer): Buffer;
  /** Takes ciphertext || tag. @throws IntegrityError when authentication fails. */
  decrypt(nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer;
}

/** A KEK held inside a cryptographic module: its version, and the module's AES-GCM under it. */
export interface ModuleKek {
  version: number;
  gcm: SealedGcm;
}

/** Either kind of KEK: both wrap DEKs into the same bytes. */
export type WrappingKek = Kek | ModuleKek;

/**
 * Finds the KEK with a given version.
 * @throws UnknownKeyVersionError when the keyring has no such version.
 */
export type KekLookup = (version: number) => WrappingKek;

/** Version of the payload, wrapped-DEK and stream formats this build writes. */
export const ENVELOPE_FORMAT_VERSION = 1;

/** AES-256 key, DEK and KEK length. */
export const KEY_BYTES = 32;
/** AES-GCM nonce length (96 bits, the only length GCM handles without extra hashing). */
export const NONCE_BYTES = 12;
/** AES-GCM tag length; always full length, never truncated. */
export const TAG_BYTES = 16;
/** Per-object HKDF salt (the AWS Encryption SDK's "message id"). */
export const SALT_BYTES = 32;
/** Key commitment value stored in a header. */
export const COMMITMENT_BYTES = 32;
/** Magic (4) + format version (1) + algorithm id (1): the prefix every format starts with. */
export const PREFIX_BYTES = 6;

/** The one AEAD of format version 1. */
export const GCM = 'aes-256-gcm';
/** Passed to every cipher and decipher so Node never accepts a shorter (forgeable) tag. */
export const GCM_OPTIONS = { authTagLength: TAG_BYTES } as const;

/** Domain-separation labels: a payload, a wrapped DEK and a stream never share an AAD. */
export type Purpose = 'medvault/payload' | 'medvault/dek' | 'medvault/stream';

// Lone UTF-16 surrogates all encode to U+FFFD in UTF-8, so two different strings could share
// one encoding; refusing them keeps the encoding injective.
const LONE_SURROGATE = /\p{Cs}/u;

function checkedLength(value: unknown, name: string): number {
  if (typeof value !== 'string') throw new TypeError(`envelope context ${name} must be a string`);
  if (LONE_SURROGATE.test(value)) throw new TypeError(`envelope context ${name} is not well-formed UTF-16`);
  return Buffer.byteLength(value, 'utf8');
}

/**
 * Builds `prefix || encoding(purpose, ctx)`, the associated data of one object.
 *
 * The encoding is canonical and unambiguous: each string is a uint32 big-endian byte length
 * followed by its UTF-8 bytes (plain concatenation would let "ab"+"c" equal "a"+"bc"), the
 * patient id is preceded by a presence byte (0 = null, 1 = string) so null differs from "",
 * and the format version is a byte of its own.
 *
 *     prefix | len purpose | purpose | version (1) | len table | table | len rowId | rowId
 *            | patient? (1) | [len patientId | patientId] | len field | field
 *
 * @param prefix - header bytes to authenticate with the context (copied to the front).
 * @throws TypeError when a context field is not a well-formed string (a programming error).
 */
export function encodeAad(prefix: Uint8Array, purpose: Purpose, ctx: EnvelopeContext): Buffer {
  const purposeLen = Buffer.byteLength(purpose, 'latin1');
  const tableLen = checkedLength(ctx.table, 'table');
  const rowLen = checkedLength(ctx.rowId, 'rowId');
  const hasPatient = ctx.patientId !== null;
  const patientLen = hasPatient ? checkedLength(ctx.patientId, 'patientId') : 0;
  const fieldLen = checkedLength(ctx.field, 'field');
  const total =
    prefix.length +
    4 +
    purposeLen +
    1 +
    4 +
    tableLen +
    4 +
    rowLen +
    1 +
    (hasPatient ? 4 + patientLen : 0) +
    4 +
    fieldLen;
  const out = Buffer.allocUnsafe(total);
  out.set(prefix, 0);
  let at = prefix.length;
  at = out.writeUInt32BE(purposeLen, at);
  at += out.write(purpose, at, 'latin1');
  at = out.writeUInt8(ENVELOPE_FORMAT_VERSION, at);
  at = out.writeUInt32BE(tableLen, at);
  at += out.write(ctx.table, at, 'utf8');
  at = out.writeUInt32BE(rowLen, at);
  at += out.write(ctx.rowId, at, 'utf8');
  at = out.writeUInt8(hasPatient ? 1 : 0, at);
  if (ctx.patientId !== null) {
    at = out.writeUInt32BE(patientLen, at);
    at += out.write(ctx.patientId, at, 'utf8');
  }
  at = out.writeUInt32BE(fieldLen, at);
  out.write(ctx.field, at, 'utf8');
  return out;
}

/** An encryption key and the commitment to it, both derived from one DEK and one salt. */
export interface DerivedKeys {
  key: Buffer;
  commitment: Buffer;
}

/**
 * Key commitment as in the AWS Encryption SDK (committing suites): HKDF-SHA256(ikm = DEK,
 * salt = per-object random salt, info = label) gives 64 bytes, the first 32 the AES key, the
 * last 32 the commitment stored in the header. One HKDF call: the two halves are independent
 * HKDF-Expand blocks, and finding two DEKs with the same commitment means an HMAC-SHA256
 * collision, so a payload can only ever open under one DEK.
 */
export function deriveKeys(dek: Buffer, salt: Uint8Array, info: Buffer): DerivedKeys {
  const okm = Buffer.from(hkdfSync('sha256', dek, salt, info, KEY_BYTES + COMMITMENT_BYTES));
  return { key: okm.subarray(0, KEY_BYTES), commitment: okm.subarray(KEY_BYTES) };
}

/**
 * Compares a stored commitment with the recomputed one before anything is decrypted, so a wrong
 * key fails here and never produces plaintext.
 * @throws IntegrityError "key commitment" when they differ.
 */
export function checkCommitment(stored: Uint8Array, derived: Buffer): void {
  // Constant time: the comparison must not tell an attacker how many leading bytes matched.
  if (stored.length !== derived.length || !timingSafeEqual(stored, derived)) {
    throw new IntegrityError('key commitment');
  }
}

/** HKDF info label for a format: a text label followed by the format version and algorithm id. */
export function infoLabel(label: string, alg: number): Buffer {
  const text = Buffer.from(label, 'latin1');
  return Buffer.concat([text, Buffer.from([ENVELOPE_FORMAT_VERSION, alg])]);
}

/** Views any Uint8Array as a Buffer without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** @throws TypeError unless `key` is a 32-byte Buffer (a programming error, not an attack). */
export function assertKey(key: unknown, what: string): asserts key is Buffer {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new TypeError(`${what} must be a ${KEY_BYTES}-byte Buffer`);
  }
}

/**
 * @throws TypeError unless `kek` has a version in 1..2^32-1 and either a 32-byte key or a
 * module's GCM.
 */
export function assertKek(kek: WrappingKek): void {
  if (!Number.isInteger(kek.version) || kek.version < 1 || kek.version > 0xffffffff) {
    throw new TypeError('KEK version must be an integer in 1..2^32-1');
  }
  if (!('gcm' in kek)) assertKey(kek.key, 'KEK');
}

/** Writes magic, format version and algorithm id at the start of `out`. */
export function writePrefix(out: Buffer, magic: Buffer, alg: number): void {
  magic.copy(out, 0);
  out[4] = ENVELOPE_FORMAT_VERSION;
  out[5] = alg;
}

/**
 * Checks magic, format version and algorithm id of a blob, in that order, before any length
 * or field is trusted.
 * @throws IntegrityError when the blob is too short for its prefix or the magic is wrong.
 * @throws UnsupportedFormatError when the version or algorithm is not one this build reads.
 */
export function checkPrefix(blob: Uint8Array, magic: Buffer, alg: number, what: string): void {
  if (blob.length < PREFIX_BYTES) throw new IntegrityError(`truncated ${what}`);
  if (!magic.equals(blob.subarray(0, magic.length))) throw new IntegrityError(`not a ${what} (bad magic)`);
  // Downgrade guard, never remove: a blob must name exactly the version and algorithm this code
  // implements. Reading an unknown one "as if" it were v1 would let an attacker pick the rules.
  if (blob[4] !== ENVELOPE_FORMAT_VERSION) {
    throw new UnsupportedFormatError(`${what} format version ${String(blob[4])}`);
  }
  if (blob[5] !== alg) throw new UnsupportedFormatError(`${what} algorithm ${String(blob[5])}`);
}

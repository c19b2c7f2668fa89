/**
 * Witness cosignatures in the C2SP tlog-cosignature format (Ed25519, `cosignature/v1`).
 *
 * A cosignature is one more signed-note signature line on a checkpoint:
 *
 * ```text
 * — witness.example/w1 base64(key ID[4] || timestamp[8, big-endian] || Ed25519 signature[64])
 * ```
 *
 * The key ID is SHA-256(name || 0x0A || 0x04 || raw public key)[:4] (algorithm byte 0x04, not the
 * 0x01 of plain signed-note keys, so a log key and a cosigner key never share an ID). The signed
 * message is `cosignature/v1\n`, `time <timestamp>\n`, then the whole checkpoint body (extension
 * lines included). It states that, at that time, this is the largest consistent tree the witness
 * has seen for the origin. Cosigner public keys are published as verifier keys
 * `<name>+<key ID hex>+base64(0x04 || public key)`.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  decodeStrictBase64,
  parseSignedNote,
  splitVerifierKey,
  CheckpointFormatError,
} from './checkpoint.js';
import { IntegrityError, UnsupportedFormatError } from './errors.js';

/** signed-note signature type of Ed25519 cosignature/v1. */
export const ALG_COSIGNATURE_V1 = 0x04;
const HEADER = 'cosignature/v1\n';
const ED25519_SIGNATURE_SIZE = 64;
const BLOB_SIZE = 4 + 8 + ED25519_SIGNATURE_SIZE;
const SIGNATURE_PREFIX = '\u2014 ';
// tlog-cosignature: the timestamp MUST NOT exceed 2^63 − 1; JavaScript numbers stay exact below 2^53.
const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/** A witness's public key: its name, key ID and Ed25519 key. */
export interface CosignerKey {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: KeyObject;
}

/** What a verified cosignature states besides the checkpoint: when the witness made it. */
export interface VerifiedCosignature {
  readonly witness: string;
  /** POSIX seconds. */
  readonly timestamp: number;
}

/** The message a cosigner signs for a checkpoint body at `timestamp` (tlog-cosignature §Ed25519). */
export function cosignedMessage(body: string, timestamp: number): Buffer {
  checkTimestamp(timestamp);
  return Buffer.from(`${HEADER}time ${timestamp}\n${body}`, 'utf8');
}

/**
 * One cosignature line (with its newline) over a checkpoint body.
 * @throws TypeError if `privateKey` is not an Ed25519 private key.
 */
export function cosign(body: string, name: string, privateKey: KeyObject, timestamp: number): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('cosignature: the witness key must be an Ed25519 private key');
  }
  const keyId = cosignerKeyId(name, rawPublicKey(createPublicKey(privateKey)));
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const signature = sign(null, cosignedMessage(body, timestamp), privateKey);
  return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([keyId, time, signature]).toString('base64')}\n`;
}

/** The verifier key string of a witness: `<name>+<key ID hex>+base64(0x04 || public key)`. */
export function cosignerVerifierKey(name: string, publicKey: KeyObject): string {
  if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('cosignature: the witness key must be an Ed25519 public key');
  }
  const raw = rawPublicKey(publicKey);
  const material = Buffer.concat([Buffer.from([ALG_COSIGNATURE_V1]), raw]).toString('base64');
  const key = `${name}+${cosignerKeyId(name, raw).toString('hex')}+${material}`;
  parseCosignerKey(key); // checks the name
  return key;
}

/**
 * Parses a witness verifier key and checks its key ID against its name and key.
 * @throws CheckpointFormatError for a malformed key or a wrong key ID; UnsupportedFormatError for
 *   a signature type other than cosignature/v1 (0x04).
 */
export function parseCosignerKey(text: string): CosignerKey {
  const { name, hashHex, material } = splitVerifierKey(text);
  if (material[0] !== ALG_COSIGNATURE_V1) {
    throw new UnsupportedFormatError(
      `witness key type ${String(material[0])} (expected cosignature/v1, 0x04)`,
    );
  }
  if (material.length !== 1 + 32) throw new CheckpointFormatError('Ed25519 witness key must be 32 bytes');
  const raw = material.subarray(1);
  const keyId = cosignerKeyId(name, raw);
  if (keyId.toString('hex') !== hashHex) {
    throw new CheckpointFormatError('witness key ID does not match its name and key');
  }
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  return { name, keyId, publicKey };
}

/**
 * Verifies the cosignature of `key` on a signed checkpoint (other signature lines are ignored).
 * @throws IntegrityError if the note is malformed, carries no line with this witness's name and
 *   key ID, or that line does not verify (a forged cosignature is never skipped).
 */
export function verifyCosignature(note: string, key: CosignerKey): VerifiedCosignature {
  let parsed;
  try {
    parsed = parseSignedNote(note);
  } catch (err) {
    if (err instanceof CheckpointFormatError) throw new IntegrityError(`cosigned checkpoint: ${err.reason}`);
    throw err;
  }
  const line = parsed.signatures.find((s) => s.keyName === key.name && s.keyId.equals(key.keyId));
  if (line === undefined) throw new IntegrityError(`no cosignature by ${key.name}`);
  const rest = line.signature; // after the 4-byte key ID: timestamp and signature
  if (rest.length !== BLOB_SIZE - 4)
    throw new IntegrityError(`cosignature by ${key.name} has the wrong length`);
  const big = rest.readBigUInt64BE(0);
  if (big > BigInt(MAX_TIMESTAMP))
    throw new IntegrityError(`cosignature by ${key.name} has an impossible time`);
  const timestamp = Number(big);
  const ok = verify(null, cosignedMessage(parsed.body, timestamp), key.publicKey, rest.subarray(8));
  if (!ok) throw new IntegrityError(`cosignature by ${key.name} does not verify`);
  return { witness: key.name, timestamp };
}

/** Strict base64 of a tlog-witness proof line or answer. Re-exported for the witness protocol. */
export const decodeBase64Line = decodeStrictBase64;

// ---------------------------------------------------------------------------------------------

/** SHA-256(name || 0x0A || 0x04 || raw public key)[:4] (tlog-cosignature key ID). */
function cosignerKeyId(name: string, raw: Uint8Array): Buffer {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ALG_COSIGNATURE_V1]))
    .update(raw)
    .digest()
    .subarray(0, 4);
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TypeError('cosignature: not an Ed25519 key');
  return Buffer.from(x, 'base64url');
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) {
    throw new CheckpointFormatError('cosignature timestamp must be non-negative POSIX seconds');
  }
}

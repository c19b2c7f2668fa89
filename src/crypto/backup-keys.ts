/**
 * Keys of a MedVault backup file, all derived from the master key with HKDF-SHA-256 (RFC 5869)
 * and the backup's own random salt, so nothing but the master key is needed to read one and no
 * key of one backup opens another:
 *
 *     encryption key (32)   = HKDF(master, salt, "medvault/backup/encrypt/v1")
 *     signing seed (32)     = HKDF(master, salt, "medvault/backup/sign/v1")    → Ed25519 key pair
 *     key check (32)        = HKDF(master, salt, "medvault/backup/check/v1")   (stored in the header)
 *
 * The key check lets `backup verify` and `restore` say "made under another master key" at once
 * instead of failing on the first chunk; it reveals nothing of the key (HKDF output).
 */
import {
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';

export const BACKUP_SALT_BYTES = 32;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface BackupKeys {
  readonly encryptionKey: Buffer;
  readonly signingKey: KeyObject;
  /** Raw 32-byte Ed25519 public key, base64. */
  readonly publicKey: string;
  /** base64 */
  readonly keyCheck: string;
}

const derive = (master: Uint8Array, salt: Uint8Array, label: string): Buffer =>
  Buffer.from(hkdfSync('sha256', master, salt, `medvault/backup/${label}/v1`, 32));

/** The keys of the backup whose header holds `salt`. */
export function backupKeys(masterKey: Uint8Array, salt: Uint8Array): BackupKeys {
  if (salt.length !== BACKUP_SALT_BYTES)
    throw new TypeError(`backup salt must be ${BACKUP_SALT_BYTES} bytes`);
  const signingKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, derive(masterKey, salt, 'sign')]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(signingKey).export({ format: 'der', type: 'spki' });
  return {
    encryptionKey: derive(masterKey, salt, 'encrypt'),
    signingKey,
    publicKey: spki.subarray(spki.length - 32).toString('base64'),
    keyCheck: derive(masterKey, salt, 'check').toString('base64'),
  };
}

/** Whether `keys` are those the header's key check was made with (constant time). */
export function keyCheckMatches(keys: BackupKeys, keyCheck: string): boolean {
  const a = Buffer.from(keys.keyCheck, 'base64');
  const b = Buffer.from(keyCheck, 'base64');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Ed25519 signature of a digest (the SHA-256 of everything before the signature). */
export function signDigest(keys: BackupKeys, digest: Buffer): Buffer {
  return sign(null, digest, keys.signingKey);
}

export function verifyDigest(keys: BackupKeys, digest: Buffer, signature: Buffer): boolean {
  return verify(null, digest, createPublicKey(keys.signingKey), signature);
}

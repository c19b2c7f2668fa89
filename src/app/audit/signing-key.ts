import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { verifierKeyString } from '../../crypto/checkpoint.js';

/** The ledger's Ed25519 key, the log's name and the forms its public key is published in. */
export interface LedgerSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** `medvault/<8 hex digits>`: the checkpoint origin, also the signed-note key name. */
  readonly origin: string;
  /** signed-note verifier key: `<origin>+<key hash>+<base64(0x01 || public key)>`. */
  readonly verifierKey: string;
  /** SubjectPublicKeyInfo PEM. */
  readonly pem: string;
}

// PKCS#8 DER of an Ed25519 private key up to its 32-byte seed (RFC 8410 §7): SEQUENCE, version 0,
// AlgorithmIdentifier id-Ed25519 (1.3.101.112), OCTET STRING { OCTET STRING seed }.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED_BYTES = 32;

/**
 * Derives the ledger key from a 32-byte seed kept in the keyring (secret "ledger-signing"), so
 * the key is as durable and as protected as the keyring itself and every server sharing the
 * database signs with the same key.
 *
 * The origin names this log by its key (`medvault/` + the first 8 hex digits of SHA-256 of the
 * raw public key): stable for the life of the key, and two MedVault installations never share a
 * name, so a checkpoint of one is never mistaken for the other's. A later key (after a handover)
 * is given the log's origin instead.
 */
export function ledgerSigningKey(seed: Buffer, logOrigin?: string): LedgerSigningKey {
  if (seed.length !== SEED_BYTES) throw new TypeError('ledger signing seed must be 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const { x } = publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(String(x), 'base64url');
  // A key handed the log over keeps the log's name (the first key's): see crypto/key-handover.ts.
  const origin = logOrigin ?? `medvault/${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
  return {
    privateKey,
    publicKey,
    origin,
    verifierKey: verifierKeyString(origin, publicKey),
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

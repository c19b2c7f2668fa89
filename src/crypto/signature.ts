/**
 * Staff and prescription signatures: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2) over RSA keys
 * of 2048 to 8192 bits, and pure Ed25519 (RFC 8032 §5.1). Private keys stay with people (the
 * browser's WebCrypto or the CLI); the server only parses public keys and verifies.
 *
 * Public keys are registered as SPKI (RFC 5280 §4.1.2.7) in PEM (RFC 7468 §13,
 * `-----BEGIN PUBLIC KEY-----`), the form WebCrypto exports and `openssl pkey -pubout` writes.
 * A key id is derived from the SPKI DER (see {@link keyIdOf}).
 *
 * Signatures travel as standard base64 (RFC 4648 §4) with padding, decoded strictly.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  sign,
  verify,
  constants,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';

/** The two signature schemes a staff key may use. */
export type SignatureAlgorithm = 'rsa-pkcs1-sha256' | 'ed25519';

/** Every accepted algorithm name, e.g. for validating a stored `algorithm` column. */
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ['rsa-pkcs1-sha256', 'ed25519'];

/** A parsed, accepted public key. */
export interface ParsedPublicKey {
  algorithm: SignatureAlgorithm;
  keyObject: KeyObject;
  /** The canonical SPKI DER of the key (re-encoded, so one key has one encoding and one id). */
  spkiDer: Buffer;
}

/** A fresh key pair, as PEM text. */
export interface SigningKeyPair {
  /** SPKI PEM, ready to register. */
  publicKeyPem: string;
  /** Unencrypted PKCS#8 PEM (RFC 5208): hand it to its owner once, never store it. */
  privateKeyPem: string;
}

/** Key text that is not an acceptable key; `reason` is safe to show to the user. */
export class KeyFormatError extends Error {
  override readonly name = 'KeyFormatError';
  constructor(readonly reason: string) {
    super(`unacceptable key: ${reason}`);
  }
}

/** Largest PEM text parsed at all (an 8192-bit RSA SPKI is under 1.5 KiB). */
export const MAX_PEM_LENGTH = 16 * 1024;
/** RSA modulus bounds in bits: NIST SP 800-57 Part 1 (112-bit security) up to a verify-cost cap. */
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 8192;
/** Modulus size of keys made by {@link generateSigningKeyPair}. */
export const GENERATED_RSA_BITS = 2048;

const ED25519_SIGNATURE_BYTES = 64;
const MAX_SIGNATURE_B64_LENGTH = 4 * Math.ceil(MAX_RSA_BITS / 8 / 3);
const KEY_ID_BYTES = 16;
const PEM_RE = /^-----BEGIN PUBLIC KEY-----\r?\n((?:[A-Za-z0-9+/=]+\r?\n)+)-----END PUBLIC KEY-----\r?\n?$/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// FIPS 186-5 §A.1.1: the public exponent is odd and 2^16 < e < 2^256.
const MIN_RSA_EXPONENT = 2n ** 16n;
const MAX_RSA_EXPONENT = 2n ** 256n;

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * Parses a public key registered by a user. Accepts only an SPKI PEM of an RSA key of
 * {@link MIN_RSA_BITS}..{@link MAX_RSA_BITS} bits (rsaEncryption, FIPS 186-5 exponent) or an
 * Ed25519 key (RFC 8410).
 *
 * @throws KeyFormatError for anything else: oversized or garbled text, a private key (never
 *   accepted, even though a public key could be derived from it: it must not reach the server),
 *   PKCS#1 `RSA PUBLIC KEY`, EC, RSA-PSS-only, DSA, X25519 and RSA keys under 2048 bits.
 */
export function parsePublicKeyPem(pem: string): ParsedPublicKey {
  if (typeof pem !== 'string') throw new KeyFormatError('not text');
  if (pem.length > MAX_PEM_LENGTH) throw new KeyFormatError('key text too long');
  const text = pem.trim() + '\n';
  if (/PRIVATE KEY-----/.test(text)) throw new KeyFormatError('this is a private key; upload the public key');
  const match = PEM_RE.exec(text);
  if (match === null) throw new KeyFormatError('not a PEM "PUBLIC KEY" (SPKI) block');
  const body = match[1]!.replace(/\r?\n/g, '');
  if (!B64_RE.test(body)) throw new KeyFormatError('PEM body is not valid base64');
  const der = Buffer.from(body, 'base64');
  if (der.toString('base64') !== body) throw new KeyFormatError('PEM body is not valid base64');

  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw new KeyFormatError('PEM body is not a valid SPKI public key');
  }
  const algorithm = algorithmOf(keyObject);
  const spkiDer = keyObject.export({ format: 'der', type: 'spki' });
  // Trailing bytes or a non-DER encoding would give one key several ids: refuse anything that
  // does not round-trip.
  if (!spkiDer.equals(der)) throw new KeyFormatError('SPKI is not in canonical DER');
  return { algorithm, keyObject, spkiDer };
}

/**
 * The key id of a public key: base64url (unpadded) of the first 16 bytes of SHA-256 over its SPKI
 * DER, 22 characters. 128 bits make an accidental collision negligible; the id names a key, it is
 * not what authenticates it (the registered key itself is).
 */
export function keyIdOf(spkiDer: Buffer): string {
  return createHash('sha256').update(spkiDer).digest().subarray(0, KEY_ID_BYTES).toString('base64url');
}

/**
 * Verifies a base64 signature over `message` (strings are taken as their UTF-8 bytes):
 * RSASSA-PKCS1-v1_5 with SHA-256 for `rsa-pkcs1-sha256`, pure Ed25519 (no pre-hash) for
 * `ed25519`. Never throws on attacker input: non-canonical base64, a signature of the wrong
 * length, or a key that does not match the algorithm all give false.
 */
export function verifySignature(
  algorithm: SignatureAlgorithm,
  keyObject: KeyObject,
  message: Uint8Array | string,
  signatureB64: string,
): boolean {
  try {
    if (typeof signatureB64 !== 'string' || signatureB64.length > MAX_SIGNATURE_B64_LENGTH) return false;
    if (!B64_RE.test(signatureB64)) return false;
    const signature = Buffer.from(signatureB64, 'base64');
    // Non-zero padding bits decode, but are a second spelling of the same bytes: refuse them.
    if (signature.toString('base64') !== signatureB64) return false;
    // The algorithm comes from the registered key's row; a key of another type never verifies.
    if (keyObject.type !== 'public' || algorithmOf(keyObject) !== algorithm) return false;
    const data = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    if (algorithm === 'ed25519') {
      if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
      return verify(null, data, keyObject, signature);
    }
    const modulusBits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
    if (signature.length !== Math.ceil(modulusBits / 8)) return false;
    return verify('sha256', data, { key: keyObject, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

/**
 * A fresh key pair: RSA-{@link GENERATED_RSA_BITS} with e = 65537, or Ed25519. Synchronous (RSA
 * key generation blocks for tens to hundreds of milliseconds): fine for the CLI; a server route
 * uses {@link generateSigningKeyPairAsync}, which runs on libuv's threadpool.
 */
export function generateSigningKeyPair(algorithm: SignatureAlgorithm): SigningKeyPair {
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519', {
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        })
      : generateKeyPairSync('rsa', {
          modulusLength: GENERATED_RSA_BITS,
          publicExponent: 65537,
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        });
  return { publicKeyPem: pair.publicKey, privateKeyPem: pair.privateKey };
}

/** {@link generateSigningKeyPair} off the event loop. */
export async function generateSigningKeyPairAsync(algorithm: SignatureAlgorithm): Promise<SigningKeyPair> {
  const pair =
    algorithm === 'ed25519'
      ? await generateKeyPairAsync('ed25519', {
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        })
      : await generateKeyPairAsync('rsa', {
          modulusLength: GENERATED_RSA_BITS,
          publicExponent: 65537,
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        });
  return { publicKeyPem: pair.publicKey, privateKeyPem: pair.privateKey };
}

/**
 * Signs `message` (strings as UTF-8) with a PEM private key (PKCS#8, or PKCS#1 for RSA) and
 * returns the signature in standard base64: what the CLI sends for a login challenge or a
 * prescription. The browser does the same with WebCrypto.
 *
 * @throws KeyFormatError if the key cannot be read or does not match `algorithm`.
 */
export function signMessage(
  algorithm: SignatureAlgorithm,
  privateKeyPem: string,
  message: Uint8Array | string,
): string {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    throw new KeyFormatError('not a readable, unencrypted PEM private key');
  }
  if (algorithmOf(key) !== algorithm) throw new KeyFormatError(`the key is not a ${algorithm} key`);
  const data = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const signature =
    algorithm === 'ed25519'
      ? sign(null, data, key)
      : sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING });
  return signature.toString('base64');
}

/** The algorithm a key is acceptable for, or KeyFormatError. */
function algorithmOf(key: KeyObject): SignatureAlgorithm {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'ed25519';
    case 'rsa': {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      const e = key.asymmetricKeyDetails?.publicExponent ?? 0n;
      if (bits < MIN_RSA_BITS)
        throw new KeyFormatError(`RSA key of ${bits} bits; at least ${MIN_RSA_BITS} needed`);
      if (bits > MAX_RSA_BITS)
        throw new KeyFormatError(`RSA key of ${bits} bits; at most ${MAX_RSA_BITS} accepted`);
      if (e % 2n !== 1n || e <= MIN_RSA_EXPONENT || e >= MAX_RSA_EXPONENT)
        throw new KeyFormatError('RSA public exponent outside FIPS 186-5 bounds');
      return 'rsa-pkcs1-sha256';
    }
    default:
      throw new KeyFormatError(
        `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}; use RSA or Ed25519`,
      );
  }
}

/**
 * Browser-side signing with WebCrypto. Pure functions, no DOM and no network, so the staff login
 * and (later) prescription signing share them, and they run unchanged under Node 20's
 * `globalThis.crypto.subtle` in unit tests.
 *
 * Design principle 5: a person's private key never leaves their browser. The key is imported as
 * non-extractable and used only to sign; nothing here sends it anywhere.
 *
 * Supported keys (DESIGN.md "Signatures"): RSA (RSASSA-PKCS1-v1_5 with SHA-256, at least 2048 bits)
 * and Ed25519, both as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
 */
import {
  loginMessageFor,
  type ChallengeExpectation,
  type SignedMessage,
} from '../../../src/contract/signing/index.js';

/** Signature schemes a staff key may use. */
export type SigningAlgorithm = 'RSASSA-PKCS1-v1_5' | 'Ed25519';

/** A private key ready to sign, with the scheme it signs under. */
export interface SigningKey {
  readonly algorithm: SigningAlgorithm;
  readonly key: CryptoKey;
}

/** A key file we cannot use; the message is written for the person who picked the file. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

const PKCS8_LABEL = 'PRIVATE KEY';
const MIN_RSA_BITS = 2048;

/** DER encodings of the algorithm OIDs we accept or recognise (value bytes only, no tag/length). */
const OID_RSA_ENCRYPTION = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]; // 1.2.840.113549.1.1.1
const OID_ED25519 = [0x2b, 0x65, 0x70]; // 1.3.101.112 (RFC 8410)
const OID_EC_PUBLIC_KEY = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]; // 1.2.840.10045.2.1
const OID_RSASSA_PSS = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a]; // 1.2.840.113549.1.1.10

/**
 * Extracts the DER bytes of an unencrypted PKCS#8 private key from PEM text (RFC 7468 §10).
 * Other PEM kinds get a specific message, because "wrong format" is the most common mistake and
 * the fix (an `openssl pkcs8` conversion) is easy once named.
 */
export function pemToPkcs8Der(pem: string): Uint8Array<ArrayBuffer> {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!match) {
    throw new KeyFileError('This file is not a PEM private key (expected "-----BEGIN PRIVATE KEY-----").');
  }
  const label = match[1] ?? '';
  const body = match[2] ?? '';
  if (label === 'ENCRYPTED PRIVATE KEY') {
    throw new KeyFileError(
      'This private key is password-protected. Export it unencrypted: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem',
    );
  }
  if (label === 'RSA PRIVATE KEY' || label === 'OPENSSH PRIVATE KEY' || label === 'EC PRIVATE KEY') {
    throw new KeyFileError(
      `This is a "${label}" file; MedVault needs PKCS#8 ("BEGIN PRIVATE KEY"). Convert it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem`,
    );
  }
  if (label !== PKCS8_LABEL) {
    throw new KeyFileError(`This PEM file holds a "${label}", not a private key.`);
  }
  const base64 = body.replace(/\s+/g, '');
  if (base64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new KeyFileError('The private key in this file is damaged (its base64 body does not decode).');
  }
  return base64ToBytes(base64);
}

/**
 * Reads the algorithm OID of a PKCS#8 PrivateKeyInfo (RFC 5208 §5):
 * SEQUENCE { version INTEGER, privateKeyAlgorithm SEQUENCE { algorithm OID, ... }, ... }.
 * A minimal DER walk, just far enough to name the key type; WebCrypto does the full parse.
 */
export function pkcs8AlgorithmOid(der: Uint8Array): Uint8Array {
  const outer = readTlv(der, 0, 0x30);
  const version = readTlv(der, outer.contentStart, 0x02);
  const algorithmId = readTlv(der, version.end, 0x30);
  const oid = readTlv(der, algorithmId.contentStart, 0x06);
  return der.subarray(oid.contentStart, oid.end);
}

/** Detects the key type from its OID and imports it for signing only, as non-extractable. */
export async function importSigningKey(der: Uint8Array<ArrayBuffer>): Promise<SigningKey> {
  const subtle = requireSubtle();
  let oid: Uint8Array;
  try {
    oid = pkcs8AlgorithmOid(der);
  } catch {
    throw new KeyFileError('The private key in this file is damaged (not a PKCS#8 structure).');
  }
  if (bytesEqual(oid, OID_ED25519)) {
    const key = await importOrExplain(() =>
      subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']),
    );
    return { algorithm: 'Ed25519', key };
  }
  if (bytesEqual(oid, OID_RSA_ENCRYPTION)) {
    const key = await importOrExplain(() =>
      subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']),
    );
    const { modulusLength } = key.algorithm as RsaHashedKeyAlgorithm;
    if (modulusLength < MIN_RSA_BITS) {
      throw new KeyFileError(
        `This RSA key has ${modulusLength} bits; MedVault needs at least ${MIN_RSA_BITS}.`,
      );
    }
    return { algorithm: 'RSASSA-PKCS1-v1_5', key };
  }
  if (bytesEqual(oid, OID_EC_PUBLIC_KEY) || bytesEqual(oid, OID_RSASSA_PSS)) {
    throw new KeyFileError(
      'MedVault staff keys are RSA (PKCS#1 v1.5, SHA-256) or Ed25519; this key is neither.',
    );
  }
  throw new KeyFileError('Unsupported key type: MedVault staff keys are RSA or Ed25519.');
}

/**
 * Signs a domain-separated message (src/contract/signing: a context line naming what the
 * signature is for, then the body) and returns the signature in base64. There is deliberately no
 * "sign this text" function: the same key signs logins and prescriptions, so anything signed
 * must say which it is (issue 15, finding 1).
 */
export async function signMessage(signingKey: SigningKey, message: SignedMessage): Promise<string> {
  const subtle = requireSubtle();
  const signature = await subtle.sign({ name: signingKey.algorithm }, signingKey.key, message);
  return bytesToBase64(new Uint8Array(signature));
}

/**
 * Signs a login challenge as the server sent it, after checking it is a staff login challenge
 * for this page's origin and this user (`loginMessageFor`): a server asking for anything else —
 * a prescription's JSON, a challenge for another site — gets nothing signed.
 * @throws ChallengeRefused (from the contract) with a message for the person logging in.
 */
export async function signLoginChallenge(
  signingKey: SigningKey,
  challenge: unknown,
  expected: ChallengeExpectation,
): Promise<string> {
  return signMessage(signingKey, loginMessageFor(challenge, expected));
}

/** Convenience: PEM text → signing key, with every failure reported as a {@link KeyFileError}. */
export async function importSigningKeyFromPem(pem: string): Promise<SigningKey> {
  return importSigningKey(pemToPkcs8Der(pem));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000; // keeps String.fromCharCode's argument list well under engine limits
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * WebCrypto exists only in secure contexts: https:// or http://localhost. Over plain HTTP on a
 * hospital hostname `crypto.subtle` is undefined, so say that instead of failing obscurely.
 */
function requireSubtle(): SubtleCrypto {
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (!subtle) {
    throw new KeyFileError(
      'This browser cannot sign here: key signing needs a secure connection (HTTPS, or localhost).',
    );
  }
  return subtle;
}

async function importOrExplain(run: () => Promise<CryptoKey>): Promise<CryptoKey> {
  try {
    return await run();
  } catch (cause) {
    const reason =
      cause instanceof Error && cause.name === 'NotSupportedError' ? ' (not supported by this browser)' : '';
    throw new KeyFileError(`The private key in this file could not be loaded${reason}.`);
  }
}

interface Tlv {
  readonly contentStart: number;
  readonly end: number;
}

function readTlv(der: Uint8Array, offset: number, expectedTag: number): Tlv {
  if (der[offset] !== expectedTag) throw new Error('unexpected DER tag');
  let cursor = offset + 1;
  const first = der[cursor++];
  if (first === undefined) throw new Error('truncated DER');
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = der[cursor++];
      if (byte === undefined) throw new Error('truncated DER');
      length = length * 256 + byte;
    }
  }
  const end = cursor + length;
  if (end > der.length) throw new Error('truncated DER');
  return { contentStart: cursor, end };
}

function bytesEqual(a: Uint8Array, b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * A staff key pair made in this browser with WebCrypto (issue 14, "accept an invite"): the public
 * half goes to the server as SPKI PEM, the private half is handed to its holder as a PKCS#8 PEM
 * file and is never sent anywhere. The same two formats `medvault enrol` writes, so the file
 * signs in and signs prescriptions exactly like one made by the CLI (./sign.ts reads it).
 *
 * Ed25519 where the browser has it (Chromium 137+, Firefox 129+, Safari 17+); otherwise RSA
 * 3072 bits with RSASSA-PKCS1-v1_5 and SHA-256, the other algorithm the server accepts.
 */
import { bytesToBase64, KeyFileError } from './sign.js';

export interface GeneratedKeyPair {
  /** How the server names the algorithm (src/contract/vocabulary/signing.ts). */
  readonly algorithm: 'ed25519' | 'rsa-pkcs1-sha256';
  /** "-----BEGIN PUBLIC KEY-----": what is sent. */
  readonly publicKeyPem: string;
  /** "-----BEGIN PRIVATE KEY-----": what the holder saves; it stays in the page until then. */
  readonly privateKeyPem: string;
}

const RSA_BITS = 3072;

/** PEM text (RFC 7468): the label, the base64 body in lines of 64, the end line. */
export function derToPem(der: Uint8Array, label: 'PUBLIC KEY' | 'PRIVATE KEY'): string {
  const body = bytesToBase64(der).replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

/** Makes a key pair (extractable only so its halves can be written out, once). */
export async function generateStaffKeyPair(
  prefer: 'ed25519' | 'rsa-pkcs1-sha256' = 'ed25519',
): Promise<GeneratedKeyPair> {
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (!subtle) {
    throw new KeyFileError(
      'This browser cannot make a key here: it needs a secure connection (HTTPS, or localhost).',
    );
  }
  if (prefer === 'ed25519') {
    try {
      const pair = (await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      return await exportPair(subtle, pair, 'ed25519');
    } catch (cause) {
      // An older browser without Ed25519: RSA is the other key type the server accepts.
      if (!(cause instanceof Error && cause.name === 'NotSupportedError')) throw cause;
    }
  }
  const pair = await subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: RSA_BITS,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  );
  return exportPair(subtle, pair, 'rsa-pkcs1-sha256');
}

async function exportPair(
  subtle: SubtleCrypto,
  pair: CryptoKeyPair,
  algorithm: GeneratedKeyPair['algorithm'],
): Promise<GeneratedKeyPair> {
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  return {
    algorithm,
    publicKeyPem: derToPem(spki, 'PUBLIC KEY'),
    privateKeyPem: derToPem(pkcs8, 'PRIVATE KEY'),
  };
}

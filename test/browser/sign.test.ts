/**
 * The browser's signing helpers (web/src/crypto/sign.ts), run under Node 20's WebCrypto and
 * checked against node:crypto, which is what the server verifies with. No Chromium needed.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  importSigningKey,
  importSigningKeyFromPem,
  KeyFileError,
  pemToPkcs8Der,
  signUtf8,
} from '../../web/src/crypto/sign.js';

function pkcs8Pem(privateKey: KeyObject): string {
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

const ed25519 = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
// Non-ASCII and whitespace at the edges: the signature must cover the exact UTF-8 bytes.
const CHALLENGE = ' medvault-login:4f1c…ünïcode:2025-01-01T00:00:00Z\n';

describe('signUtf8 with a WebCrypto-imported PKCS#8 PEM', () => {
  it('Ed25519: node:crypto verifies the signature over the UTF-8 bytes of the challenge', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    expect(key.algorithm).toBe('Ed25519');
    const signature = await signUtf8(key, CHALLENGE);
    const ok = verify(
      null,
      Buffer.from(CHALLENGE, 'utf8'),
      ed25519.publicKey,
      Buffer.from(signature, 'base64'),
    );
    expect(ok).toBe(true);
  });

  it('RSA: node:crypto verifies RSASSA-PKCS1-v1_5 with SHA-256', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(rsa.privateKey));
    expect(key.algorithm).toBe('RSASSA-PKCS1-v1_5');
    const signature = await signUtf8(key, CHALLENGE);
    expect(Buffer.from(signature, 'base64')).toHaveLength(256);
    const ok = verify(
      'sha256',
      Buffer.from(CHALLENGE, 'utf8'),
      rsa.publicKey,
      Buffer.from(signature, 'base64'),
    );
    expect(ok).toBe(true);
  });

  it('a signature does not verify for a different challenge (no trimming or normalisation)', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    const signature = Buffer.from(await signUtf8(key, CHALLENGE), 'base64');
    expect(verify(null, Buffer.from(CHALLENGE.trim(), 'utf8'), ed25519.publicKey, signature)).toBe(false);
  });

  it('a signature does not verify under another key', async () => {
    const other = generateKeyPairSync('ed25519');
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    const signature = Buffer.from(await signUtf8(key, CHALLENGE), 'base64');
    expect(verify(null, Buffer.from(CHALLENGE, 'utf8'), other.publicKey, signature)).toBe(false);
  });

  it('imports the key as non-extractable, for signing only', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(rsa.privateKey));
    expect(key.key.extractable).toBe(false);
    expect(key.key.usages).toEqual(['sign']);
  });
});

describe('pemToPkcs8Der', () => {
  it('returns the DER that node:crypto exports for the same key', () => {
    const der = ed25519.privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(Buffer.from(pemToPkcs8Der(pkcs8Pem(ed25519.privateKey)))).toEqual(der);
  });

  it('tolerates CRLF line endings and text around the PEM block', () => {
    const pem = `Bag attributes\r\n${pkcs8Pem(ed25519.privateKey).replace(/\n/g, '\r\n')}trailer`;
    const der = ed25519.privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(Buffer.from(pemToPkcs8Der(pem))).toEqual(der);
  });

  it('rejects a file with no PEM block', () => {
    expect(() => pemToPkcs8Der('hello')).toThrow(KeyFileError);
  });

  it('rejects a PKCS#1 "RSA PRIVATE KEY" and names the conversion', () => {
    const pkcs1 = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(() => pemToPkcs8Der(pkcs1)).toThrow(/openssl pkcs8/);
  });

  it('rejects an encrypted PKCS#8 key', () => {
    const encrypted = rsa.privateKey
      .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' })
      .toString();
    expect(() => pemToPkcs8Der(encrypted)).toThrow(/password-protected/);
  });

  it('rejects a public key', () => {
    const spki = createPublicKey(ed25519.privateKey).export({ format: 'pem', type: 'spki' }).toString();
    expect(() => pemToPkcs8Der(spki)).toThrow(/not a private key/);
  });

  it('rejects a damaged base64 body', () => {
    expect(() => pemToPkcs8Der('-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----')).toThrow(
      KeyFileError,
    );
  });
});

describe('importSigningKey', () => {
  it('refuses key types MedVault does not use (EC P-256)', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expect(importSigningKeyFromPem(pkcs8Pem(ec.privateKey))).rejects.toThrow(/RSA .*Ed25519/);
  });

  it('refuses RSA keys shorter than 2048 bits', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await expect(importSigningKeyFromPem(pkcs8Pem(weak.privateKey))).rejects.toThrow(/at least 2048/);
  });

  it('refuses bytes that are not a PKCS#8 structure, with a KeyFileError', async () => {
    await expect(importSigningKey(new Uint8Array([0x30, 0x03, 0x02, 0x01]))).rejects.toThrow(KeyFileError);
  });
});

describe('base64 helpers', () => {
  it('round-trip every byte value and agree with Buffer', () => {
    const bytes = new Uint8Array(256 * 3).map((_, i) => i % 256);
    const encoded = bytesToBase64(bytes);
    expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64ToBytes(encoded)).toEqual(bytes);
  });

  it('handle inputs larger than one String.fromCharCode chunk', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

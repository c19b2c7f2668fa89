/**
 * The browser's signing helpers (web/src/crypto/sign.ts), run under Node 20's WebCrypto and
 * checked against node:crypto, which is what the server verifies with. No Chromium needed.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/contract/canonical-json.js';
import {
  ChallengeRefused,
  loginMessage,
  prescriptionMessage,
  type LoginChallenge,
} from '../../src/contract/signing/index.js';
import {
  base64ToBytes,
  bytesToBase64,
  importSigningKey,
  importSigningKeyFromPem,
  KeyFileError,
  pemToPkcs8Der,
  signLoginChallenge,
  signMessage,
} from '../../web/src/crypto/sign.js';

function pkcs8Pem(privateKey: KeyObject): string {
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

const ed25519 = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ORIGIN = 'https://medvault.hospital.example';
const CHALLENGE: LoginChallenge = {
  type: 'medvault-staff-login',
  v: 1,
  origin: ORIGIN,
  username: 'dr.ed',
  nonce: 'n'.repeat(43),
  expiresAt: 1_767_225_600_000,
};
const EXPECTED = { origin: ORIGIN, username: 'dr.ed' };
/** A prescription's canonical JSON: what a malicious server would like signed. */
const PRESCRIPTION = canonicalJson({
  v: 1,
  patientId: 'p-1',
  prescriberId: 'dr-1',
  keyId: 'k'.repeat(22),
  medicine: { id: 'oxycodone-5mg-tablet', name: 'Oxycodone', strength: '5 mg', form: 'tablet' },
  dose: '2 tablets',
  route: 'oral',
  frequency: 'every 4 hours',
  quantity: 1000,
  refills: 0,
  instructions: '',
  issuedAt: 1_767_225_600_000,
  expiresAt: 1_769_817_600_000,
  nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
});
const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

describe('signLoginChallenge with a WebCrypto-imported PKCS#8 PEM', () => {
  it('Ed25519: node:crypto verifies the signature over the login message of the challenge', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    expect(key.algorithm).toBe('Ed25519');
    const signature = await signLoginChallenge(key, CHALLENGE, EXPECTED);
    expect(verify(null, loginMessage(CHALLENGE), ed25519.publicKey, b64(signature))).toBe(true);
  });

  it('RSA: node:crypto verifies RSASSA-PKCS1-v1_5 with SHA-256', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(rsa.privateKey));
    expect(key.algorithm).toBe('RSASSA-PKCS1-v1_5');
    const signature = await signLoginChallenge(key, CHALLENGE, EXPECTED);
    expect(b64(signature)).toHaveLength(256);
    expect(verify('sha256', loginMessage(CHALLENGE), rsa.publicKey, b64(signature))).toBe(true);
  });

  it('compares the username as the server normalises it', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    await expect(
      signLoginChallenge(key, CHALLENGE, { origin: ORIGIN, username: ' Dr.Ed ' }),
    ).resolves.toBeTypeOf('string');
  });

  it('a signature does not verify under another key', async () => {
    const other = generateKeyPairSync('ed25519');
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    const signature = b64(await signLoginChallenge(key, CHALLENGE, EXPECTED));
    expect(verify(null, loginMessage(CHALLENGE), other.publicKey, signature)).toBe(false);
  });

  it('imports the key as non-extractable, for signing only', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(rsa.privateKey));
    expect(key.key.extractable).toBe(false);
    expect(key.key.usages).toEqual(['sign']);
  });
});

describe('a malicious server cannot use the login page as a signing oracle (issue 15, finding 1)', () => {
  const refused = async (challenge: unknown, expected = EXPECTED): Promise<unknown> => {
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    return signLoginChallenge(key, challenge, expected).then(
      () => 'signed',
      (err: unknown) => err,
    );
  };

  it("refuses a prescription's canonical JSON sent as the challenge (as text or as an object)", async () => {
    expect(await refused(PRESCRIPTION)).toBeInstanceOf(ChallengeRefused);
    expect(await refused(JSON.parse(PRESCRIPTION))).toBeInstanceOf(ChallengeRefused);
  });

  it('refuses a challenge of the old text form, or with an extra field, type or version', async () => {
    expect(await refused('medvault-staff-login-v1:' + 'n'.repeat(43))).toBeInstanceOf(ChallengeRefused);
    expect(await refused({ ...CHALLENGE, payload: PRESCRIPTION })).toBeInstanceOf(ChallengeRefused);
    expect(await refused({ ...CHALLENGE, type: 'medvault-prescription' })).toBeInstanceOf(ChallengeRefused);
    expect(await refused({ ...CHALLENGE, v: 2 })).toBeInstanceOf(ChallengeRefused);
  });

  it('refuses a challenge for another origin or another user, saying so', async () => {
    const other = await refused({ ...CHALLENGE, origin: 'https://evil.example' });
    expect(other).toBeInstanceOf(ChallengeRefused);
    expect((other as Error).message).toMatch(/is for https:\/\/evil\.example, not for https:\/\/medvault/);
    expect(await refused({ ...CHALLENGE, username: 'dr.other' })).toBeInstanceOf(ChallengeRefused);
  });

  it('even a crafted challenge carrying a prescription in its fields gives no prescription signature', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    const crafted = { ...CHALLENGE, origin: PRESCRIPTION.slice(0, 255).replace(/ /g, '') };
    const signature = b64(await signLoginChallenge(key, crafted, { ...EXPECTED, origin: crafted.origin }));
    const harvested = [prescriptionMessage(PRESCRIPTION), Buffer.from(PRESCRIPTION, 'utf8')];
    for (const message of harvested) expect(verify(null, message, ed25519.publicKey, signature)).toBe(false);
  });

  it('signs prescriptions only as prescription messages, which no login accepts', async () => {
    const key = await importSigningKeyFromPem(pkcs8Pem(ed25519.privateKey));
    const signature = b64(await signMessage(key, prescriptionMessage(PRESCRIPTION)));
    expect(verify(null, prescriptionMessage(PRESCRIPTION), ed25519.publicKey, signature)).toBe(true);
    expect(verify(null, loginMessage(CHALLENGE), ed25519.publicKey, signature)).toBe(false);
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

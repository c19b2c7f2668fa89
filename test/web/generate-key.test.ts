/**
 * The key pair the accept-invite page makes (web/src/crypto/generate-key.ts), run on Node's
 * WebCrypto: the server accepts its public half as it is sent, the browser's own key-file reader
 * takes its private half, both sides derive the same key id, and a login signature made with the
 * saved file verifies against the registered public key — for both algorithms.
 */
import { describe, expect, it } from 'vitest';
import { loginMessage } from '../../src/contract/signing/index.js';
import { keyIdOf, parsePublicKeyPem, verifySignature } from '../../src/crypto/signature.js';
import { derToPem, generateStaffKeyPair } from '../../web/src/crypto/generate-key.js';
import { keyIdOfPrivateKeyPem } from '../../web/src/crypto/key-id.js';
import { importSigningKeyFromPem, signMessage } from '../../web/src/crypto/sign.js';

describe('staff key pairs made in the browser', () => {
  for (const algorithm of ['ed25519', 'rsa-pkcs1-sha256'] as const) {
    it(`makes a ${algorithm} pair the server registers and the login form signs with`, async () => {
      const pair = await generateStaffKeyPair(algorithm);
      expect(pair.algorithm).toBe(algorithm);
      expect(pair.publicKeyPem).toMatch(
        /^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PUBLIC KEY-----\n$/,
      );
      expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(pair.publicKeyPem).not.toContain('PRIVATE');

      const registered = parsePublicKeyPem(pair.publicKeyPem);
      expect(registered.algorithm).toBe(algorithm);
      expect(await keyIdOfPrivateKeyPem(pair.privateKeyPem)).toBe(keyIdOf(registered.spkiDer));

      const message = loginMessage({
        origin: 'https://medvault.example',
        username: 'dr.grey',
        nonce: 'n0nce',
        expiresAt: 1_700_000_000_000,
      });
      const signature = await signMessage(await importSigningKeyFromPem(pair.privateKeyPem), message);
      expect(verifySignature(algorithm, registered.keyObject, message, signature)).toBe(true);
    });
  }

  it('writes PEM in lines of 64 characters', () => {
    const pem = derToPem(new Uint8Array(100).fill(0xff), 'PUBLIC KEY');
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN PUBLIC KEY-----');
    expect(lines.at(-1)).toBe('-----END PUBLIC KEY-----');
    expect(lines.slice(1, -1).map((line) => line.length)).toEqual([64, 64, 8]);
  });
});

import { createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  generateSigningKeyPairAsync,
  KeyFormatError,
  keyIdOf,
  MAX_PEM_LENGTH,
  parsePublicKeyPem,
  signMessage,
  verifySignature,
  type SignatureAlgorithm,
} from '../../src/crypto/signature.js';

const rsa = generateSigningKeyPair('rsa-pkcs1-sha256');
const ed = generateSigningKeyPair('ed25519');
const rsaOther = generateSigningKeyPair('rsa-pkcs1-sha256');
const edOther = generateSigningKeyPair('ed25519');
const PAIRS = { 'rsa-pkcs1-sha256': [rsa, rsaOther], ed25519: [ed, edOther] } as const;
const ALGORITHMS: SignatureAlgorithm[] = ['rsa-pkcs1-sha256', 'ed25519'];
const MESSAGE = Buffer.from('medvault-staff-login-v1:8kq3u7oS3C5E4yF2m0bXzQ9wVn1TgRr6PpJdLhAeKsM', 'utf8');

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

function spkiPem(der: Buffer): string {
  const lines = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${lines}\n-----END PUBLIC KEY-----\n`;
}

describe('signature', () => {
  describe.each(ALGORITHMS)('%s', (algorithm) => {
    const [mine, other] = PAIRS[algorithm];
    const key = parsePublicKeyPem(mine.publicKeyPem);
    const signature = signMessage(algorithm, mine.privateKeyPem, MESSAGE);

    it('parses the generated SPKI PEM as this algorithm', () => {
      expect(key.algorithm).toBe(algorithm);
      expect(mine.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(mine.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    });

    it('sign → verify', () => {
      expect(verifySignature(algorithm, key.keyObject, MESSAGE, signature)).toBe(true);
      expect(verifySignature(algorithm, key.keyObject, MESSAGE.toString('utf8'), signature)).toBe(true);
    });

    it('fails when any bit of the message is flipped', () => {
      for (const bit of [0, 7, 100, MESSAGE.length * 8 - 1])
        expect(verifySignature(algorithm, key.keyObject, flipBit(MESSAGE, bit), signature)).toBe(false);
    });

    it('fails when any bit of the signature is flipped', () => {
      const raw = Buffer.from(signature, 'base64');
      for (const bit of [0, 9, raw.length * 4, raw.length * 8 - 1])
        expect(verifySignature(algorithm, key.keyObject, MESSAGE, flipBit(raw, bit).toString('base64'))).toBe(
          false,
        );
    });

    it('fails for a signature made by another key', () => {
      const forged = signMessage(algorithm, other.privateKeyPem, MESSAGE);
      expect(verifySignature(algorithm, key.keyObject, MESSAGE, forged)).toBe(false);
    });

    it('fails when the algorithm does not match the key', () => {
      const wrong: SignatureAlgorithm = algorithm === 'ed25519' ? 'rsa-pkcs1-sha256' : 'ed25519';
      expect(verifySignature(wrong, key.keyObject, MESSAGE, signature)).toBe(false);
    });

    it('malformed or wrong-length base64 gives false, never a throw', () => {
      const raw = Buffer.from(signature, 'base64');
      const bad = [
        '',
        '====',
        'not base64!',
        signature.replace(/=+$/, ''), // missing padding
        `${signature}=`,
        ` ${signature}`,
        `${signature}\n`,
        signature.replace(/\+/g, '-').replace(/\//g, '_'), // base64url is not base64
        raw.subarray(1).toString('base64'),
        Buffer.concat([raw, Buffer.of(0)]).toString('base64'),
        Buffer.concat([Buffer.of(0), raw]).toString('base64'),
        'A'.repeat(100_000),
      ].filter((s) => s !== signature);
      for (const s of bad)
        expect(verifySignature(algorithm, key.keyObject, MESSAGE, s), JSON.stringify(s)).toBe(false);
    });

    it('random signature strings never verify and never throw', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 700 }), fc.uint8Array({ maxLength: 600 }), (s, bytes) => {
          return (
            !verifySignature(algorithm, key.keyObject, MESSAGE, s) &&
            !verifySignature(algorithm, key.keyObject, MESSAGE, Buffer.from(bytes).toString('base64'))
          );
        }),
        { numRuns: 200 },
      );
    });

    it('keyIdOf is 22 base64url characters, stable across PEM spellings of one key', () => {
      const id = keyIdOf(key.spkiDer);
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const crlf = mine.publicKeyPem.replace(/\n/g, '\r\n');
      expect(keyIdOf(parsePublicKeyPem(crlf).spkiDer)).toBe(id);
      expect(keyIdOf(parsePublicKeyPem(`\n  ${mine.publicKeyPem}  \n`).spkiDer)).toBe(id);
      expect(keyIdOf(parsePublicKeyPem(other.publicKeyPem).spkiDer)).not.toBe(id);
    });

    it('signMessage refuses a private key of the other algorithm', () => {
      const wrong: SignatureAlgorithm = algorithm === 'ed25519' ? 'rsa-pkcs1-sha256' : 'ed25519';
      expect(() => signMessage(wrong, mine.privateKeyPem, MESSAGE)).toThrow(KeyFormatError);
    });
  });

  it('verifies what WebCrypto signs (the browser path): RSASSA-PKCS1-v1_5 SHA-256 and Ed25519', async () => {
    const rsaKeys = await webcrypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    const rsaSig = await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', rsaKeys.privateKey, MESSAGE);
    const rsaSpki = Buffer.from(await webcrypto.subtle.exportKey('spki', rsaKeys.publicKey));
    const rsaKey = parsePublicKeyPem(spkiPem(rsaSpki));
    expect(
      verifySignature('rsa-pkcs1-sha256', rsaKey.keyObject, MESSAGE, Buffer.from(rsaSig).toString('base64')),
    ).toBe(true);

    const edKeys = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const edSig = await webcrypto.subtle.sign('Ed25519', edKeys.privateKey, MESSAGE);
    const edSpki = Buffer.from(await webcrypto.subtle.exportKey('spki', edKeys.publicKey));
    const edKey = parsePublicKeyPem(spkiPem(edSpki));
    expect(verifySignature('ed25519', edKey.keyObject, MESSAGE, Buffer.from(edSig).toString('base64'))).toBe(
      true,
    );
  });

  it('generateSigningKeyPairAsync makes keys that parse and sign', async () => {
    const pair = await generateSigningKeyPairAsync('ed25519');
    const key = parsePublicKeyPem(pair.publicKeyPem);
    expect(
      verifySignature('ed25519', key.keyObject, MESSAGE, signMessage('ed25519', pair.privateKeyPem, MESSAGE)),
    ).toBe(true);
  });

  describe('parsePublicKeyPem refuses', () => {
    const refuses = (pem: string, reason?: RegExp): void => {
      let error: unknown;
      try {
        parsePublicKeyPem(pem);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KeyFormatError);
      if (reason !== undefined) expect((error as KeyFormatError).reason).toMatch(reason);
    };
    const pemOf = (key: ReturnType<typeof generateKeyPairSync>['publicKey']): string =>
      key.export({ type: 'spki', format: 'pem' }).toString();

    it('RSA keys under 2048 bits', () => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      refuses(pemOf(publicKey), /1024 bits/);
    });

    it('EC, RSA-PSS-only, X25519, Ed448 and DSA keys', () => {
      refuses(pemOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey), /unsupported key type ec/);
      refuses(pemOf(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey), /rsa-pss/);
      refuses(pemOf(generateKeyPairSync('x25519').publicKey), /x25519/);
      refuses(pemOf(generateKeyPairSync('ed448').publicKey), /ed448/);
      refuses(
        pemOf(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey),
        /dsa/,
      );
    });

    it('RSA with a public exponent outside FIPS 186-5 (e = 3)', () => {
      refuses(
        pemOf(generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey),
        /exponent/,
      );
    });

    it('private keys, even though a public key could be derived from them', () => {
      refuses(ed.privateKeyPem, /private key/);
      refuses(rsa.privateKeyPem, /private key/);
      const pkcs1 = createPublicKey(rsa.publicKeyPem);
      refuses(pkcs1.export({ type: 'pkcs1', format: 'pem' }).toString()); // "RSA PUBLIC KEY" is not SPKI
    });

    it('garbage, truncated, doubled and oversized text', () => {
      refuses('');
      refuses('garbage');
      refuses('-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n');
      refuses('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
      refuses(ed.publicKeyPem.replace(/\n-----END/, '!\n-----END'));
      refuses(ed.publicKeyPem.replace('-----END PUBLIC KEY-----', ''));
      refuses(ed.publicKeyPem + ed.publicKeyPem);
      refuses(`explanatory text\n${ed.publicKeyPem}`);
      refuses(ed.publicKeyPem + '\n'.repeat(MAX_PEM_LENGTH));
      refuses('A'.repeat(MAX_PEM_LENGTH + 1), /too long/);
    });

    it('an SPKI with trailing bytes (a second encoding, hence a second key id, of one key)', () => {
      const der = parsePublicKeyPem(ed.publicKeyPem).spkiDer;
      refuses(spkiPem(Buffer.concat([der, Buffer.of(0, 0)])));
    });

    it('never throws anything but KeyFormatError on random text', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), (s) => {
          for (const text of [s, `-----BEGIN PUBLIC KEY-----\n${s}\n-----END PUBLIC KEY-----\n`]) {
            try {
              parsePublicKeyPem(text);
            } catch (e) {
              if (!(e instanceof KeyFormatError)) return false;
            }
          }
          return true;
        }),
      );
    });
  });
});

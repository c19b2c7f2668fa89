import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalPayload, parseCanonicalPayload } from '../../src/app/prescriptions/payload.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import { prepareVerifier } from '../../src/crypto/prepared-verifier.js';
import { parsePublicKeyPem, signMessage, verifySignature } from '../../src/crypto/signature.js';

/** The prepared verifier accepts and refuses exactly what verifySignature does. */
describe('prepared verifier', () => {
  for (const algorithm of ['rsa-pkcs1-sha256', 'ed25519'] as const) {
    it(`agrees with verifySignature on ${algorithm}`, () => {
      const pair =
        algorithm === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const key = parsePublicKeyPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const prepared = prepareVerifier(key);
      const message = Buffer.from('{"a":1}');
      const good = signMessage(algorithm, pem, message);
      const flipped = Buffer.from(good, 'base64');
      flipped[3]! ^= 1;
      const candidates = [
        good,
        good.replace(/=+$/, ''),
        good.replace(/\+/g, '-').replace(/\//g, '_'),
        ` ${good}`,
        `${good}\n`,
        `${good.slice(0, 10)}!${good.slice(11)}`,
        good.slice(4),
        `${good}AAAA`,
        flipped.toString('base64'),
        '',
        'A'.repeat(good.length),
      ];
      for (const sig of candidates) {
        expect(prepared(message, sig), sig).toBe(verifySignature(algorithm, key.keyObject, message, sig));
      }
      expect(prepared(message, good)).toBe(true);
      expect(prepared(Buffer.from('{"a":2}'), good)).toBe(false);
      expect(prepared(message, 42 as unknown as string)).toBe(false);
    });
  }

  it('a signed payload reads back only in canonical form', () => {
    const pair = generateKeyPairSync('ed25519');
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { payload } = signPrescriptionDraft(pem, {
      patientId: 'p1',
      medicine: { id: 'x-1mg-tablet', name: 'X', strength: '1 mg', form: 'tablet' },
      dose: '1 tablet',
      route: 'oral',
      frequency: 'daily',
      quantity: 1,
      refills: 0,
      instructions: 'é ✓ \u2028',
      prescriberId: 'd1',
    });
    const text = canonicalPayload(payload);
    expect(parseCanonicalPayload(text)).toEqual(payload);
    expect(() => parseCanonicalPayload(JSON.stringify(payload, null, 1))).toThrow(/canonical/);
    expect(() => parseCanonicalPayload(JSON.stringify({ ...payload, extra: 1 }))).toThrow();
  });
});

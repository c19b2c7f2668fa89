import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalPayload } from '../../src/app/prescriptions/payload.js';
import { keyIdOf, parsePublicKeyPem, verifySignature } from '../../src/crypto/signature.js';
import { signPrescription } from '../../web/src/api/prescriptions.js';
import { canonicalJson } from '../../src/contract/canonical-json.js';
import { prescriptionMessage } from '../../src/contract/signing/index.js';
import { keyIdOfPrivateKeyPem } from '../../web/src/crypto/key-id.js';
import { importSigningKeyFromPem } from '../../web/src/crypto/sign.js';

/**
 * The browser's signing code (web/src), run on Node's WebCrypto: it derives the same key id as
 * the server, writes the same canonical bytes, and its signatures over the prescription message
 * verify on the server — for
 * both algorithms (the Chromium test covers RSA through the real page).
 */
describe('browser-side prescription signing', () => {
  for (const algorithm of ['rsa-pkcs1-sha256', 'ed25519'] as const) {
    it(`derives the key id and signs verifiable canonical bytes (${algorithm})`, async () => {
      const pair =
        algorithm === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const key = parsePublicKeyPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const keyId = await keyIdOfPrivateKeyPem(pem);
      expect(keyId).toBe(keyIdOf(key.spkiDer));
      const signed = await signPrescription(
        {
          patientId: 'patient-1',
          medicine: {
            id: 'amoxicillin-500mg-capsule',
            name: 'Amoxicillin',
            strength: '500 mg',
            form: 'capsule',
          },
          dose: '1 capsule',
          route: 'oral',
          frequency: 'three times daily',
          quantity: 21,
          refills: 1,
          instructions: 'Zürich 日本 "quoted" \\ back\nnew line',
          prescriberId: 'doctor-1',
          validDays: 30,
        },
        await importSigningKeyFromPem(pem),
        keyId,
      );
      const server = canonicalPayload(signed.payload);
      expect(canonicalJson(signed.payload)).toBe(server);
      // Over the prescription message (context line + canonical JSON), never the bare JSON.
      expect(verifySignature(algorithm, key.keyObject, prescriptionMessage(server), signed.signature)).toBe(
        true,
      );
      expect(verifySignature(algorithm, key.keyObject, server, signed.signature)).toBe(false);
    });
  }
});

/**
 * The key id of the public half of a PKCS#8 private key, computed in the browser exactly as the
 * server computes it for a registered key (src/crypto/signature.ts `keyIdOf`): base64url of the
 * first 16 bytes of SHA-256 over the SPKI DER. A prescription names the key that signs it, so the
 * page derives the id from the very file the doctor picked.
 *
 * The key is imported once as extractable only to read its public parameters (JWK n/e for RSA,
 * x for Ed25519); that copy is dropped at once, and signing uses a separate non-extractable
 * import (./sign.ts). Nothing leaves the page.
 */
import { bytesToBase64, KeyFileError, pemToPkcs8Der, pkcs8AlgorithmOid } from './sign.js';

const OID_ED25519 = [0x2b, 0x65, 0x70];
const KEY_ID_BYTES = 16;

export async function keyIdOfPrivateKeyPem(pem: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new KeyFileError('This browser cannot sign here: use HTTPS or localhost.');
  const der = pemToPkcs8Der(pem);
  const oid = pkcs8AlgorithmOid(der);
  const ed25519 = oid.length === OID_ED25519.length && oid.every((b, i) => b === OID_ED25519[i]);
  const algorithm: RsaHashedImportParams | Algorithm = ed25519
    ? { name: 'Ed25519' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  let spki: ArrayBuffer;
  try {
    const privateKey = await subtle.importKey('pkcs8', der, algorithm, true, ['sign']);
    const jwk = await subtle.exportKey('jwk', privateKey);
    const publicJwk: JsonWebKey = ed25519
      ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x }
      : { kty: 'RSA', n: jwk.n, e: jwk.e };
    const publicKey = await subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']);
    spki = await subtle.exportKey('spki', publicKey);
  } catch {
    throw new KeyFileError('The public key could not be derived from this private key file.');
  }
  const digest = new Uint8Array(await subtle.digest('SHA-256', spki)).subarray(0, KEY_ID_BYTES);
  return bytesToBase64(digest).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

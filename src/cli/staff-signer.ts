import { createPrivateKey, sign } from 'node:crypto';
import type { LoginAnswer, StaffLoginRequest } from '../contract/api/auth.js';
import type { MedVaultClient } from '../contract/client/index.js';

/**
 * Staff login from the command line (the demo, the console): the private key stays in this
 * process and signs the challenge the server hands out — what the browser does with WebCrypto.
 * Node-only (node:crypto), so it lives in src/cli and not in the shared client.
 */

/**
 * Signs the UTF-8 bytes of a login challenge exactly as returned: Ed25519 for an Ed25519 key,
 * RSASSA-PKCS1-v1_5 with SHA-256 for an RSA key. Answers the signature in standard base64.
 */
export function signChallenge(privateKeyPem: string, challenge: string): string {
  const key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  const data = Buffer.from(challenge, 'utf8');
  const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return sign(algorithm, data, key).toString('base64');
}

/** Asks for a challenge and signs it: a login body ready to send (kept whole, so a replay can resend it). */
export async function staffLoginBody(
  api: MedVaultClient,
  username: string,
  password: string,
  privateKeyPem: string,
): Promise<StaffLoginRequest> {
  const ch = await api.call('staffChallenge', { body: { username } });
  return {
    username,
    password,
    challengeId: ch.challengeId,
    signature: signChallenge(privateKeyPem, ch.challenge),
  };
}

/** Staff login: password plus a signature of a fresh challenge. @throws ApiError when refused. */
export async function staffLogin(
  api: MedVaultClient,
  username: string,
  password: string,
  privateKeyPem: string,
): Promise<LoginAnswer> {
  return api.call('staffLogin', { body: await staffLoginBody(api, username, password, privateKeyPem) });
}

import { createPrivateKey, sign } from 'node:crypto';
import type { LoginAnswer, SecondFactorNeeded, StaffLoginRequest } from '../contract/api/auth.js';
import { sessionOf, type MedVaultClient } from '../contract/client/index.js';
import { loginMessageFor, type ChallengeExpectation, type SignedMessage } from '../contract/signing/index.js';

/**
 * Staff login from the command line (the demo, the console): the private key stays in this
 * process and signs the login message of the challenge the server hands out — what the browser
 * does with WebCrypto. Node-only (node:crypto), so it lives in src/cli and not in the shared client.
 *
 * Issue 15, finding 1: the same key signs prescriptions, so this module never signs what the
 * server sends as it is. It checks that the challenge is a staff login challenge for the server
 * this client talks to and for this user, and signs the domain-separated login message built
 * from it (src/contract/signing), which no prescription verification accepts.
 */

/**
 * Signs a login challenge as received from the server: refused (ChallengeRefused, nothing
 * signed) unless it is a login challenge for `expected`; else Ed25519 for an Ed25519 key,
 * RSASSA-PKCS1-v1_5 with SHA-256 for an RSA key over its login message, in standard base64.
 * @throws ChallengeRefused for anything that is not a login challenge for `expected`.
 */
export function signLoginChallenge(
  privateKeyPem: string,
  challenge: unknown,
  expected: ChallengeExpectation,
): string {
  return signWithKey(privateKeyPem, loginMessageFor(challenge, expected));
}

/** The origin a client's requests go to: what its login challenges must name. */
export function originOf(api: MedVaultClient): string {
  return new URL(api.baseUrl).origin;
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
    signature: signLoginChallenge(privateKeyPem, ch.challenge, { origin: originOf(api), username }),
  };
}

/** Staff login: password plus a signature of a fresh challenge. @throws ApiError when refused. */
export async function staffLogin(
  api: MedVaultClient,
  username: string,
  password: string,
  privateKeyPem: string,
): Promise<LoginAnswer> {
  return sessionOf(await staffSignIn(api, username, password, privateKeyPem));
}

/** {@link staffLogin}, or the pending second step when the account needs a second factor. */
export async function staffSignIn(
  api: MedVaultClient,
  username: string,
  password: string,
  privateKeyPem: string,
): Promise<LoginAnswer | SecondFactorNeeded> {
  return api.call('staffLogin', { body: await staffLoginBody(api, username, password, privateKeyPem) });
}

export function signWithKey(privateKeyPem: string, message: SignedMessage): string {
  const key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return sign(algorithm, message, key).toString('base64');
}

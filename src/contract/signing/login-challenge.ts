/**
 * The staff login challenge: a structured object the server hands out and the client checks
 * before it signs anything (issue 15, finding 1). The client signs {@link loginMessage} of the
 * challenge — never the challenge as text — so even a challenge crafted by a compromised server
 * yields only a login signature, which no prescription check accepts.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { loginMessage, type SignedMessage } from './signed-message.js';

export const LOGIN_CHALLENGE_TYPE = 'medvault-staff-login';

/** Longest origin a challenge may name (a scheme, a DNS name and a port fit easily). */
export const MAX_ORIGIN_LENGTH = 255;

export const LoginChallengeSchema = Type.Object(
  {
    type: Type.Literal(LOGIN_CHALLENGE_TYPE, { description: 'What this is: always a staff login.' }),
    v: Type.Literal(1),
    origin: Type.String({
      minLength: 1,
      maxLength: MAX_ORIGIN_LENGTH,
      pattern: '^[\\x21-\\x7e]+$',
      description:
        'The server origin the login is for (scheme://host[:port]); the browser and the CLI refuse a challenge for another.',
    }),
    username: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'The (normalised) username asked for.',
    }),
    nonce: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: '32 random bytes, base64url.' }),
    expiresAt: Type.Integer({ minimum: 0, description: 'Epoch milliseconds; single use.' }),
  },
  {
    additionalProperties: false,
    title: 'LoginChallenge',
    description:
      "Sign the login message built from these fields (src/contract/signing/signed-message.ts: 'MedVault staff login v1\\n' and the length-prefixed origin, username, nonce, expiresAt), never the JSON itself.",
  },
);
export type LoginChallenge = Static<typeof LoginChallengeSchema>;

/** A challenge the client will not sign; the message says why, for the person logging in. */
export class ChallengeRefused extends Error {
  override readonly name = 'ChallengeRefused';
}

/** What the client knows independently of the server: where it connected and who is logging in. */
export interface ChallengeExpectation {
  /** The origin the client talks to: `location.origin` in the browser, the URL's origin in the CLI. */
  readonly origin: string;
  /** The username typed (compared as the server normalises it: trimmed, lower-case). */
  readonly username: string;
}

/**
 * Checks what a server sent as a login challenge before anything is signed: it must be a
 * structured staff login challenge (not text, not a prescription, not anything else), for the
 * origin the client talks to and the username being logged in. Answers the message to sign.
 *
 * @throws ChallengeRefused otherwise.
 */
export function loginMessageFor(challenge: unknown, expected: ChallengeExpectation): SignedMessage {
  if (!Value.Check(LoginChallengeSchema, challenge))
    throw new ChallengeRefused(
      'The server asked for a signature over something that is not a MedVault login challenge; nothing was signed.',
    );
  if (challenge.origin !== expected.origin)
    throw new ChallengeRefused(
      `This login challenge is for ${challenge.origin}, not for ${expected.origin}; nothing was signed. ` +
        '(Behind a proxy, the server must be told its public address: MEDVAULT_PUBLIC_ORIGIN.)',
    );
  if (challenge.username !== expected.username.trim().toLowerCase())
    throw new ChallengeRefused('This login challenge is for another user; nothing was signed.');
  return loginMessage(challenge);
}

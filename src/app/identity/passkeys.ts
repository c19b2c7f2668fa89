import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { SecondFactorRow } from '../../store/second-factor-repository.js';

/** How long a WebAuthn challenge may be answered. */
export const WEBAUTHN_TIMEOUT_MS = 2 * 60_000;
export const RP_NAME = 'MedVault';

/** The relying party a request speaks for: its origin and the RP ID (the origin's host name). */
export interface RelyingParty {
  readonly origin: string;
  readonly rpId: string;
}

export function relyingParty(origin: string): RelyingParty {
  return { origin, rpId: new URL(origin).hostname };
}

export type CreationOptions = Awaited<ReturnType<typeof generateRegistrationOptions>>;
export type RequestOptions = Awaited<ReturnType<typeof generateAuthenticationOptions>>;

/** A verified new passkey, as stored. */
export interface NewPasskey {
  readonly credentialId: string;
  readonly publicKey: Buffer;
  readonly signCount: number;
  readonly transports: readonly string[];
}

/** Options for registering a passkey: no attestation, existing ones excluded. */
export function registrationOptions(
  rp: RelyingParty,
  user: { id: string; name: string },
  existing: readonly SecondFactorRow[],
  requireUv: boolean,
): Promise<CreationOptions> {
  return generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpId,
    userName: user.name,
    userID: new TextEncoder().encode(user.id),
    timeout: WEBAUTHN_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.flatMap((f) => (f.credentialId === null ? [] : [{ id: f.credentialId }])),
    authenticatorSelection: {
      residentKey: 'preferred',
      userVerification: requireUv ? 'required' : 'preferred',
    },
  });
}

/**
 * Checks a registration answer. `challenge` consumes the stored challenge (single use, live)
 * and says whether it was one. Undefined for anything that does not verify.
 */
export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  challenge: (value: string) => Promise<boolean>,
  requireUv: boolean,
): Promise<NewPasskey | undefined> {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: requireUv,
    });
    if (!result.verified) return undefined;
    const { credential } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      signCount: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
    };
  } catch {
    return undefined;
  }
}

export function authenticationOptions(
  rp: RelyingParty,
  passkeys: readonly SecondFactorRow[],
  requireUv: boolean,
): Promise<RequestOptions> {
  return generateAuthenticationOptions({
    rpID: rp.rpId,
    timeout: WEBAUTHN_TIMEOUT_MS,
    userVerification: requireUv ? 'required' : 'preferred',
    allowCredentials: passkeys.flatMap((f) => (f.credentialId === null ? [] : [{ id: f.credentialId }])),
  });
}

/** Why an assertion was refused (ledger reasons), or its new counter. */
export type AssertionCheck =
  { ok: true; newCounter: number } | { ok: false; reason: 'passkey' | 'passkey_counter' };

/**
 * Checks an assertion against a stored passkey: signature, challenge (consumed by `challenge`),
 * origin, RP ID, user verification when required, and the signature counter, which must move
 * forward whenever the authenticator keeps one (a counter that goes back is a cloned
 * authenticator: refused, and said so).
 */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  passkey: SecondFactorRow,
  challenge: (value: string) => Promise<boolean>,
  requireUv: boolean,
): Promise<AssertionCheck> {
  if (passkey.credentialId === null || passkey.publicKey === null || passkey.signCount === null)
    return { ok: false, reason: 'passkey' };
  const stored = passkey.signCount;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: requireUv,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: stored,
      },
    });
    if (!result.verified) return { ok: false, reason: 'passkey' };
    const next = result.authenticationInfo.newCounter;
    // The library refuses a lower counter too; checked here as well, as the rule is ours.
    if ((next > 0 || stored > 0) && next <= stored) return { ok: false, reason: 'passkey_counter' };
    return { ok: true, newCounter: next };
  } catch (err) {
    return {
      ok: false,
      reason: err instanceof Error && /counter/i.test(err.message) ? 'passkey_counter' : 'passkey',
    };
  }
}

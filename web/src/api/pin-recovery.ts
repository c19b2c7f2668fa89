/**
 * Forgotten PINs (issue 4, "PIN recovery"): self-service with the recovery code, or with the
 * one-time reset token a registrar issued. Neither re-encrypts anything: credentials only prove
 * who someone is (DESIGN.md, principle 1).
 */
import { apiPost, isRecord } from './client.js';
import { firstText, malformed } from './parse.js';

export interface SelfServiceRecovery {
  readonly ssn: string;
  readonly password: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  readonly recoveryCode: string;
  readonly newPin: string;
}

/** POST /auth/pin-recovery → the new recovery code (the old one no longer works). */
export async function recoverPin(request: SelfServiceRecovery): Promise<string> {
  const body = await apiPost('/auth/pin-recovery', request);
  const code = isRecord(body) ? firstText(body, 'recoveryCode', 'newRecoveryCode') : undefined;
  if (code === undefined) throw malformed('recovery answer');
  return code;
}

export interface TokenReset {
  readonly ssn: string;
  readonly password: string;
  readonly resetToken: string;
  readonly newPin: string;
}

/**
 * POST /auth/pin-reset with the registrar's one-time token. Returns a new recovery code when
 * the server issues one with the reset, else undefined.
 */
export async function resetPinWithToken(request: TokenReset): Promise<string | undefined> {
  const body = await apiPost('/auth/pin-reset', request);
  return isRecord(body) ? firstText(body, 'recoveryCode', 'newRecoveryCode') : undefined;
}

/**
 * Forgotten PINs (issue 4, "PIN recovery"): self-service with the recovery code, or with the
 * one-time reset token a registrar issued. Neither re-encrypts anything: credentials only prove
 * who someone is (DESIGN.md, principle 1).
 */
import { api, type RouteInput } from './client.js';

export type SelfServiceRecovery = RouteInput<'recoverPin'>['body'];
export type TokenReset = RouteInput<'resetPin'>['body'];

/** POST /auth/pin-recovery → the new recovery code (the old one no longer works). */
export async function recoverPin(request: SelfServiceRecovery): Promise<string> {
  return (await api.call('recoverPin', { body: request })).recoveryCode;
}

/** POST /auth/pin-reset with the registrar's one-time token. It issues no new recovery code (204). */
export async function resetPinWithToken(request: TokenReset): Promise<undefined> {
  await api.call('resetPin', { body: request });
  return undefined;
}

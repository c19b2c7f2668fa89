/**
 * A signed-in patient's own account (issue 14): credential changes proven with both current
 * secrets, a new recovery code, their sessions.
 */
import { api, type RouteInput, type RouteOutput } from './client.js';

export type OwnSession = RouteOutput<'listOwnSessions'>['sessions'][number];

export async function changePassword(body: RouteInput<'changePassword'>['body']): Promise<void> {
  await api.call('changePassword', { body });
}

export async function changePin(body: RouteInput<'changePin'>['body']): Promise<void> {
  await api.call('changePin', { body });
}

export async function renewRecoveryCode(body: RouteInput<'renewRecoveryCode'>['body']): Promise<string> {
  return (await api.call('renewRecoveryCode', { body })).recoveryCode;
}

export async function listOwnSessions(): Promise<OwnSession[]> {
  return (await api.call('listOwnSessions')).sessions;
}

export async function endOtherSessions(): Promise<number> {
  return (await api.call('endOtherSessions')).ended;
}

/**
 * Staff accounts and their public keys (admin only): list, create (no password, no key: an
 * invite code and a request for a second admin), disable, ask for a re-enrolment, revoke a key.
 * Shapes from the contract.
 */
import type { SignatureAlgorithm } from '../../../src/contract/vocabulary/signing.js';
import { api, type RouteInput, type RouteOutput } from './client.js';

export { STAFF_ROLES, type StaffRole } from '../../../src/contract/vocabulary/roles.js';

export type StaffUser = RouteOutput<'listStaffUsers'>['users'][number];
export type StaffKey = StaffUser['keys'][number];
export type NewStaffUser = RouteInput<'createStaffUser'>['body'];
export type CreatedStaffUser = RouteOutput<'createStaffUser'>;

/** How the UI names the server's key algorithms. */
export const ALGORITHM_LABELS: Readonly<Record<SignatureAlgorithm, string>> = {
  ed25519: 'Ed25519',
  'rsa-pkcs1-sha256': 'RSA (PKCS#1 v1.5, SHA-256)',
};

export async function listUsers(): Promise<StaffUser[]> {
  return (await api.call('listStaffUsers')).users;
}

export async function createUser(user: NewStaffUser): Promise<CreatedStaffUser> {
  return api.call('createStaffUser', { body: user });
}

export async function disableUser(userId: string): Promise<void> {
  await api.call('disableStaffUser', { params: { id: userId } });
}

export async function revokeKey(userId: string, keyId: string): Promise<void> {
  await api.call('revokeStaffKey', { params: { id: userId, keyId } });
}

/** Asks for a re-enrolment (lost key and password); a second admin approves it on the Approvals page. */
export async function requestReenrol(userId: string): Promise<void> {
  await api.call('requestStaffReenrol', { params: { id: userId } });
}

/**
 * Staff accounts and their public keys (admin only): list, create (with a registered or a
 * freshly generated key), disable, add a key, revoke a key.
 */
import { apiDelete, apiGet, apiPost, isRecord, segment } from './client.js';
import { firstText, idOf, listOf, malformed, parseEach, timeOf, unwrap } from './parse.js';

export const STAFF_ROLES = ['admin', 'registrar', 'doctor', 'pharmacist'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const KEY_TYPES = ['ed25519', 'rsa'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** How the UI names the server's key algorithms. */
export function algorithmLabel(algorithm: string): string {
  if (algorithm === 'ed25519') return 'Ed25519';
  if (algorithm.startsWith('rsa')) return 'RSA (PKCS#1 v1.5, SHA-256)';
  return algorithm;
}

export interface StaffKey {
  readonly keyId: string;
  readonly algorithm: string;
  readonly createdAt: number | undefined;
  readonly revokedAt: number | undefined;
}

export interface StaffUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  /** The role as the server names it (patients never appear here). */
  readonly role: string;
  readonly disabled: boolean;
  readonly keys: readonly StaffKey[];
}

function parseKey(item: unknown): StaffKey | undefined {
  if (!isRecord(item)) return undefined;
  const keyId = idOf(item.keyId) ?? idOf(item.id);
  if (keyId === undefined) return undefined;
  return {
    keyId,
    algorithm: firstText(item, 'algorithm', 'alg', 'type') ?? 'unknown',
    createdAt: timeOf(item.createdAt),
    revokedAt: timeOf(item.revokedAt),
  };
}

/** Accepts `status: 'disabled'|'active'`, `disabled: true` or a `disabledAt` time. */
function isDisabled(item: Record<string, unknown>): boolean {
  if (item.disabled === true) return true;
  if (item.status === 'disabled') return true;
  return timeOf(item.disabledAt) !== undefined;
}

function parseUser(item: unknown): StaffUser | undefined {
  if (!isRecord(item)) return undefined;
  const id = idOf(item.id) ?? idOf(item.userId);
  const username = firstText(item, 'username');
  if (id === undefined || username === undefined) return undefined;
  return {
    id,
    username,
    displayName: firstText(item, 'displayName', 'name') ?? username,
    role: firstText(item, 'role') ?? 'unknown',
    disabled: isDisabled(item),
    keys: Array.isArray(item.keys) ? parseEach(item.keys, parseKey) : [],
  };
}

export async function listUsers(): Promise<StaffUser[]> {
  return parseEach(listOf(await apiGet('/admin/users'), 'users'), parseUser);
}

export interface NewStaffUser {
  readonly role: StaffRole;
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  /** Exactly one of the two: a public key the person made, or a key pair the server makes. */
  readonly publicKeyPem?: string;
  readonly generateKey?: KeyType;
}

export interface CreatedStaffUser {
  readonly userId: string;
  readonly username: string;
  readonly keyId: string | undefined;
  /** Only when the server generated the key pair: returned this once, never stored. */
  readonly privateKeyPem: string | undefined;
}

export async function createUser(user: NewStaffUser): Promise<CreatedStaffUser> {
  const body = await apiPost('/admin/users', user);
  const fields = unwrap(body, 'user');
  const userId = idOf(fields?.id) ?? (isRecord(body) ? idOf(body.userId) : undefined);
  if (userId === undefined || !isRecord(body)) throw malformed('new-user answer');
  return {
    userId,
    username: (fields && firstText(fields, 'username')) ?? user.username,
    keyId: idOf(body.keyId),
    privateKeyPem: firstText(body, 'privateKeyPem'),
  };
}

export async function disableUser(userId: string): Promise<void> {
  await apiPost(`/admin/users/${segment(userId)}/disable`);
}

export async function addKey(userId: string, publicKeyPem: string): Promise<string | undefined> {
  const body = await apiPost(`/admin/users/${segment(userId)}/keys`, { publicKeyPem });
  return isRecord(body) ? idOf(body.keyId) : undefined;
}

export async function revokeKey(userId: string, keyId: string): Promise<void> {
  await apiDelete(`/admin/users/${segment(userId)}/keys/${segment(keyId)}`);
}

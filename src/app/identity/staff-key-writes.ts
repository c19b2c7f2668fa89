import type { DbOrTx } from '../../store/database.js';
import { findStaffKey, insertStaffKey } from '../../store/staff-key-repository.js';
import { conflict } from '../errors.js';
import type { AcceptedKey } from './staff-input.js';

/**
 * Registers a public key for `userId`. One key belongs to one account, once: a key registered
 * before (to anyone, revoked or not) is refused (409 `key_registered`), so the same key on two
 * accounts never makes a login ambiguous and a revoked key never comes back.
 */
export async function addStaffKey(tx: DbOrTx, userId: string, key: AcceptedKey, now: number): Promise<void> {
  if ((await findStaffKey(tx, key.keyId)) !== undefined)
    throw conflict('That public key is already registered.', 'key_registered');
  await insertStaffKey(tx, { ...key, userId, now });
}

import { staffUsernameBlindIndex } from '../../crypto/blind-index.js';
import type { Keyring } from '../keyring.js';

/** Name of the keyring secret that keys the hash of unknown staff usernames. */
export const STAFF_USERNAME_INDEX_SECRET = 'staff-username-index';

/** Prefix of a stored unknown username: no account name can contain ':' (staff-input.ts). */
const UNKNOWN_PREFIX = 'unknown:';

/**
 * How a username typed at staff login is stored (challenge rows, ledger details): as is when it
 * names an account, otherwise only as `unknown:` + the hex HMAC under a keyring secret, because
 * an unknown "username" is often a password typed in the wrong box (issue 15, finding 8). Equal
 * unknown usernames still get equal labels, so repeated attempts can be told apart in the ledger.
 */
export class UsernameLabels {
  constructor(private readonly keyring: Keyring) {}

  async of(username: string, known: boolean): Promise<string> {
    if (known) return username;
    const key = await this.keyring.secret(STAFF_USERNAME_INDEX_SECRET);
    return UNKNOWN_PREFIX + staffUsernameBlindIndex(username, key).toString('hex');
  }
}

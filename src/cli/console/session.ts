import type { SessionUser } from '../../contract/api/auth.js';
import {
  ApiError,
  ContractMismatch,
  NetworkError,
  type MedVaultClient,
} from '../../contract/client/index.js';
import { show } from './ui.js';

/** A logged-in console user: the client (carrying their session), the token and who they are. */
export interface ConsoleSession {
  readonly api: MedVaultClient;
  readonly token: string;
  readonly user: SessionUser;
}

/**
 * Runs one menu action and turns an API refusal into a line on screen instead of ending the
 * console: a 404 or 422 is an answer the user should see, not a crash. So is an answer that
 * does not fit the contract (named, never half-shown). Anything else is a bug.
 */
export async function attempt(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof ApiError) show(`  ✘ ${err.status} ${err.code}: ${err.message}`);
    else if (err instanceof ContractMismatch) show(`  ✘ unexpected answer from the server: ${err.message}`);
    else if (err instanceof NetworkError)
      show('  ✘ cannot reach the server (is `medvault serve` running at that URL?)');
    else throw err;
  }
}

import { ApiClient, MalformedAnswer, UnexpectedAnswer, type Session } from '../demo/http-client.js';
import { show } from './ui.js';

/** A logged-in console user: the client, the token and who they are. */
export interface ConsoleSession {
  readonly api: ApiClient;
  readonly token: string;
  readonly user: Session['user'];
}

/**
 * Runs one menu action and turns an API refusal into a line on screen instead of ending the
 * console: a 404 or 422 is an answer the user should see, not a crash. Anything else is a bug.
 */
export async function attempt(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof UnexpectedAnswer)
      show(
        `  ✘ ${err.status}${err.code === undefined ? '' : ` ${err.code}`}: ${err.message.split(': ').slice(1).join(': ')}`,
      );
    else if (err instanceof MalformedAnswer) show(`  ✘ unexpected answer from the server: ${err.message}`);
    else if (err instanceof TypeError && err.message === 'fetch failed')
      show('  ✘ cannot reach the server (is `medvault serve` running at that URL?)');
    else throw err;
  }
}

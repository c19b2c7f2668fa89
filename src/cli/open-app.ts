import { openApp, type AppContext, type ComposeOptions } from '../app/context.js';
import type { Config } from '../config/config.js';
import { readSecretLine } from './read-password.js';

/**
 * Opens the application for a command. When the master key is split between officers, asks
 * for their shares one by one (hidden on a terminal; one per line when piped), never on argv.
 */
export function openCliApp(config: Config, options: ComposeOptions = {}): Promise<AppContext> {
  return openApp(config, { ...options, readShare: readSecretLine });
}

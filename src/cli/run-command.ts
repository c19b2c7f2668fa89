import { ConfigError } from '../config/config.js';
import { AppError } from '../app/errors.js';
import { StartupError } from '../app/startup-error.js';

/** Exit codes: 1 refused or failed, 2 invalid configuration or usage. */
export const EXIT_FAILURE = 1;
export const EXIT_CONFIG = 2;

/**
 * Runs a command's action and turns expected failures into one line on standard error and an
 * exit code — no stack trace for a mistake the user can fix. Anything else is a bug and keeps
 * its stack.
 */
export function runCommand<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`medvault: ${err.message}\n`);
        process.exit(EXIT_CONFIG);
      }
      if (err instanceof StartupError || err instanceof AppError) {
        process.stderr.write(`medvault: ${err.message}\n`);
        process.exit(EXIT_FAILURE);
      }
      throw err;
    }
  };
}

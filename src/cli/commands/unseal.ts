import type { Command } from 'commander';
import { ApiError, createClient } from '../../contract/client/index.js';
import { parseShare } from '../../app/custody/index.js';
import { invalidInput } from '../../app/errors.js';
import { readSecretLine } from '../read-password.js';
import { runCommand } from '../run-command.js';

/**
 * `medvault unseal --url URL`: one officer gives their key share to a sealed server. The share
 * is typed at a hidden prompt (or piped on standard input), never on the command line, where
 * every user of the machine could read it in `ps`.
 */
export function registerUnsealCommand(program: Command): void {
  program
    .command('unseal')
    .description('give one key share to a sealed server (prompts for it; never pass it as an argument)')
    .requiredOption('--url <url>', 'the server, e.g. https://medvault.example:3000')
    .action(
      runCommand(async (opts: { url: string }) => {
        const share = await readSecretLine('Your key share: ');
        if (share === null || share.trim() === '') throw invalidInput('No key share was given.');
        parseShare(share); // a typo is named here, before anything is sent
        try {
          const status = await createClient({ baseUrl: opts.url.replace(/\/+$/, '') }).call('unseal', {
            body: { share: share.trim() },
          });
          process.stdout.write(
            status.sealed
              ? `Share accepted: ${status.accepted} of ${status.threshold}. Still sealed; the next officer may go on.\n`
              : 'Share accepted: the server is unsealed.\n',
          );
        } catch (err) {
          if (err instanceof ApiError) {
            process.stderr.write(`medvault: ${err.message}\n`);
            process.exit(1);
          }
          throw err;
        }
      }),
    );
}

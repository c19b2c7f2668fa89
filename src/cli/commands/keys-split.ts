import type { Command } from 'commander';
import { splitMasterKey } from '../../app/custody/index.js';
import { destroyMasterKeyFile } from '../../app/master-key.js';
import { openCliApp } from '../open-app.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';

const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 2 || n > 255) {
    process.stderr.write(`medvault: ${name} expects a whole number between 2 and 255\n`);
    process.exit(2);
  }
  return n;
};

/**
 * `medvault keys split --shares N --threshold K`: splits the master key between N officers, K of
 * whom unseal; prints the shares once and destroys the key file. On a key already split it asks
 * for K current shares first, and the new split makes the old shares useless (an officer left).
 */
export function registerKeysSplitCommand(keys: Command): void {
  withDataFlags(keys.command('split'))
    .description('split the master key between officers (Shamir): K of N shares unseal; removes the key file')
    .requiredOption('--shares <n>', 'how many officers get a share (2..255)')
    .requiredOption('--threshold <k>', 'how many shares unseal (2..shares)')
    .action(
      runCommand(async (opts: { shares: string; threshold: string }, cmd: Command) => {
        const shares = positive('--shares', opts.shares);
        const threshold = positive('--threshold', opts.threshold);
        if (threshold > shares) {
          process.stderr.write('medvault: --threshold cannot exceed --shares\n');
          process.exit(2);
        }
        const config = configFrom(cmd);
        const app = await openCliApp(config);
        try {
          const { db } = app.store;
          const result = await app.keyring.withMasterKey((key) => splitMasterKey(db, key, shares, threshold));
          await app.audit.ledger.append(db, {
            actor: null,
            action: 'keys.split',
            target: { type: 'master_key', id: result.custody.setId },
            patientId: null,
            outcome: 'success',
            details: { shares, threshold },
          });
          const say = (line: string): boolean => process.stdout.write(line + '\n');
          say(`The master key is now split: any ${threshold} of these ${shares} shares unseal MedVault.`);
          say('Give each officer ONE share, now, and keep no other copy. They are shown only this once.');
          result.shares.forEach((share, i) => say(`Share ${i + 1} of ${shares}: ${share}`));
          if (destroyMasterKeyFile(config.dataDir)) say('The master key file was overwritten and removed.');
          if (config.masterKey !== undefined)
            say('Unset MEDVAULT_MASTER_KEY everywhere it is set: a split key refuses to start beside it.');
          say(
            'From now on `medvault serve` starts sealed: run `medvault unseal --url URL` once per officer.',
          );
        } finally {
          await app.close();
        }
      }),
    );
}

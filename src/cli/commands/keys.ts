import type { Command } from 'commander';
import { openCliApp } from '../open-app.js';
import { keyStatus, rotateKeys } from '../../app/key-rotation.js';
import { startProgress, type Progress } from '../progress.js';
import { runCommand } from '../run-command.js';
import { registerKeysHandoverCommands } from './keys-handover.js';
import { registerKeysResealCommand } from './keys-reseal.js';
import { registerKeysSplitCommand } from './keys-split.js';
import { configFrom, withDataFlags } from '../settings.js';

/** `medvault keys status|rotate|split`: the keyring's KEK versions, their rotation, the master key's custody. */
export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('inspect and rotate the keys; split the master key');
  registerKeysSplitCommand(keys);
  registerKeysResealCommand(keys);
  registerKeysHandoverCommands(keys);

  withDataFlags(keys.command('status'))
    .description('list KEK versions and how many data keys each wraps')
    .action(
      runCommand(async (_opts: unknown, cmd: Command) => {
        const app = await openCliApp(configFrom(cmd));
        try {
          const rows = await keyStatus(app.store.db, app.keyring);
          process.stdout.write(`Keyring in ${app.store.location}\n`);
          process.stdout.write('KEK version  data keys  \n');
          for (const r of rows) {
            process.stdout.write(
              `${String(r.version).padStart(11)}  ${String(r.deks).padStart(9)}  ${r.current ? '(current)' : ''}\n`,
            );
          }
          const stale = rows.filter((r) => !r.current).reduce((n, r) => n + r.deks, 0);
          if (stale > 0)
            process.stdout.write(`${stale} data keys are on older versions: run \`medvault keys rotate\`.\n`);
        } finally {
          await app.close();
        }
      }),
    );

  withDataFlags(keys.command('rotate'))
    .description('add a KEK version and re-wrap every data key under it (resumes an interrupted rotation)')
    .option('--batch-size <n>', 'data keys re-wrapped per transaction', '2000')
    .action(
      runCommand(async (opts: { batchSize: string }, cmd: Command) => {
        const batchSize = Number(opts.batchSize);
        if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
          process.stderr.write('medvault: --batch-size expects a positive integer\n');
          process.exit(2);
        }
        const app = await openCliApp(configFrom(cmd));
        let progress: Progress | undefined;
        const started = process.hrtime.bigint();
        try {
          const result = await rotateKeys(app.store.db, app.keyring, {
            batchSize,
            // The operator at the command line is trusted and has no user id: actor null.
            audit: { ledger: app.audit.ledger, actor: null },
            onStart: (plan) => {
              process.stdout.write(
                plan.resumed
                  ? `Resuming the interrupted rotation to KEK version ${plan.version}: ${plan.pending} data keys left.\n`
                  : `Added KEK version ${plan.version}; re-wrapping ${plan.pending} data keys.\n`,
              );
              if (plan.pending > 0) progress = startProgress('re-wrapping', plan.pending);
            },
            onBatch: (done) => progress?.update(done),
          });
          progress?.stop();
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          process.stdout.write(
            `Done: ${result.rewrapped} data keys now wrapped by KEK version ${result.version} in ${seconds.toFixed(1)} s; no record ciphertext was touched.\n`,
          );
        } finally {
          progress?.stop();
          await app.close();
        }
      }),
    );
}

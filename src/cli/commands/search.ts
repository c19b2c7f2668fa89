import type { Command } from 'commander';
import { openCliApp } from '../open-app.js';
import { startProgress, type Progress } from '../progress.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';
import { positiveInteger } from './cli-input.js';

/** `medvault search reindex`: rebuild every record's search tokens with today's indexing. */
export function registerSearchCommands(program: Command): void {
  const search = program.command('search').description("maintain the records' encrypted search index");

  withDataFlags(search.command('reindex'))
    .description(
      'rebuild the search tokens of every record from its title, body and keywords (records written ' +
        'before prefix search then match "asthm" and words in their text); safe to run while serving and to re-run',
    )
    .option('--batch-size <n>', 'records re-indexed per transaction', '500')
    .addHelpText(
      'after',
      '\nOnly blind tokens are written, never clear text; one search.reindex ledger entry records the counts.\n' +
        'A record whose ciphertext or key fails its integrity check is skipped and counted (run\n' +
        '`medvault audit verify` and restore it from a backup). Exit 0 done, 1 failed, 2 usage.',
    )
    .action(
      runCommand(async (flags: { batchSize: string }, cmd: Command) => {
        const batchSize = positiveInteger(flags.batchSize, '--batch-size');
        const app = await openCliApp(configFrom(cmd));
        let bar: Progress | undefined;
        const started = process.hrtime.bigint();
        try {
          const result = await app.records.reindexSearch({
            batchSize,
            onStart: (total) => {
              process.stdout.write(`Re-indexing ${total} records in ${app.store.location}.\n`);
              if (total > 0) bar = startProgress('re-indexing', total);
            },
            onBatch: (done) => bar?.update(done),
          });
          bar?.stop();
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          process.stdout.write(
            `Re-indexed ${result.reindexed} records in ${seconds.toFixed(1)} s` +
              (result.skipped > 0
                ? `; ${result.skipped} skipped: they fail their integrity check (run \`medvault audit verify\`).\n`
                : '.\n'),
          );
        } finally {
          bar?.stop();
          await app.close();
        }
      }),
    );
}

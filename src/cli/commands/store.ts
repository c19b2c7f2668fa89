import type { Command } from 'commander';
import { moveStore, type StoreMoveReport } from '../../app/store-move/index.js';
import { startProgress, type Progress } from '../progress.js';
import { EXIT_FAILURE, runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';
import { nonNegativeInteger, positiveInteger } from './cli-input.js';

interface MigrateFlags {
  to: string;
  targetDataDir: string;
  batchSize: string;
  sample: string;
}

/** `medvault store migrate`: a whole hospital from its SQLite data folder to PostgreSQL. */
export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('move the hospital between databases');

  withDataFlags(store.command('migrate'))
    .description(
      'move the hospital in --data-dir (SQLite) to an EMPTY PostgreSQL database: keyring, every table, ' +
        'attachments; resumes an interrupted move; proves it at the end. Stop the server first.',
    )
    .requiredOption('--to <url>', 'postgres:// URL of the empty target database')
    .requiredOption(
      '--target-data-dir <dir>',
      "the target's data folder: attachments and master.key (unless MEDVAULT_MASTER_KEY is set) go there",
    )
    .option('--batch-size <n>', 'rows per target transaction', '1000')
    .option('--sample <n>', 'records decrypted and compared on both sides (and attachments hashed)', '100')
    .action(
      runCommand(async (flags: MigrateFlags, cmd: Command) => {
        const config = configFrom(cmd);
        const batchSize = positiveInteger(flags.batchSize, '--batch-size');
        const sample = nonNegativeInteger(flags.sample, '--sample');
        let progress: Progress | undefined;
        try {
          const report = await moveStore({
            source: config,
            targetUrl: flags.to,
            targetDataDir: flags.targetDataDir,
            batchSize,
            sample,
            onPlan: (plan) => {
              process.stdout.write(
                `${plan.resumed ? 'Resuming the interrupted move' : 'Moving'} ${plan.source} → ${plan.target}\n`,
              );
              progress = startProgress('copying', plan.total);
            },
            onProgress: (done) => progress?.update(done),
          });
          progress?.stop();
          progress = undefined;
          printReport(report);
          if (!report.ok) process.exit(EXIT_FAILURE);
        } finally {
          progress?.stop();
        }
      }),
    );
}

function printReport(r: StoreMoveReport): void {
  const say = (line = ''): boolean => process.stdout.write(line + '\n');
  const rows = r.tables.reduce((n, t) => n + t.sourceRows, 0);
  say(
    `Copied ${r.rowsCopied} rows and ${r.attachments.copied} attachments (${mb(r.attachments.bytes)}) in ${r.seconds.toFixed(1)} s.`,
  );
  say('Proof:');
  say(
    `  tables      ${r.tables.length} tables, ${rows} rows: ${r.tables.filter((t) => t.identical).length} identical (row counts and SHA-256 of every value)`,
  );
  for (const t of r.tables.filter((t) => !t.identical))
    say(`    ${t.table}: ${t.sourceRows} rows in the source, ${t.targetRows} in the target, values differ`);
  say(
    `  attachments ${r.attachments.checked} present whole in the target; ${r.attachments.sampled} compared by SHA-256`,
  );
  say(`  records     ${r.recordsSampled} sampled, decrypted on both sides and compared`);
  say(
    `  ledger      source ${r.ledger.sourceSize} entries verified; target verified against the source's checkpoint of ${r.ledger.sourceCheckpoint}`,
  );
  say(`              ${r.ledger.consistency}`);
  for (const p of r.problems) say(`PROBLEM: ${p}`);
  say(
    r.ok
      ? 'The move is proven. Start the servers with DATABASE_URL set to the target and MEDVAULT_DATA_DIR to the target data folder.'
      : 'The move is NOT proven: do not use the target.',
  );
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

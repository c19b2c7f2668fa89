import type { Command } from 'commander';
import { moveStore, type StoreMoveReport } from '../../app/store-move/index.js';
import { readSecretLine } from '../read-password.js';
import { startProgress, type Progress } from '../progress.js';
import { EXIT_FAILURE, runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';
import { nonNegativeInteger, positiveInteger } from './cli-input.js';

interface MigrateFlags {
  to?: string;
  batchSize: string;
  sample: string;
}

const MB = 1024 * 1024;
const say = (line = ''): boolean => process.stdout.write(line + '\n');
const perSecond = (n: number, s: number): number => n / Math.max(s, 1e-6);

/** `medvault store migrate`: a whole hospital from its SQLite data folder to PostgreSQL. */
export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('move the hospital to another database');

  withDataFlags(store.command('migrate'))
    .description(
      'move the hospital in --data-dir (SQLite) into an EMPTY PostgreSQL database: keyring, every table, ' +
        'X-rays; continues an interrupted move; proves it at the end. Stop the server first.',
    )
    .option('--to <url>', 'postgres:// URL of the empty target database (required)')
    .option('--batch-size <n>', 'rows per target transaction', '1000')
    .option('--sample <n>', 'records and X-rays decrypted and compared on both sides', '100')
    .addHelpText(
      'after',
      '\nThe master key stays where it is configured (MEDVAULT_MASTER_KEY, <data dir>/master.key, or the\n' +
        "officers' shares): the keyring moves sealed, ciphertexts move as they are. Progress is kept in the\n" +
        'target (table medvault_store_move): run the same command again after a crash to continue; a\n' +
        'completed move is recognised. Afterwards start the servers with --database-url set to the target\n' +
        'and the same --data-dir (or MEDVAULT_MASTER_KEY). Exit 0 proven, 1 refused or not proven, 2 usage.',
    )
    .action(
      runCommand(async (flags: MigrateFlags, cmd: Command) => {
        if (flags.to === undefined) {
          process.stderr.write('medvault: store migrate needs --to postgres://…\n');
          process.exit(2);
        }
        const config = configFrom(cmd);
        const batchSize = positiveInteger(flags.batchSize, '--batch-size');
        const sample = nonNegativeInteger(flags.sample, '--sample');
        let bar: Progress | undefined;
        let empty = false;
        try {
          const report = await moveStore({
            source: config,
            targetUrl: flags.to,
            batchSize,
            sample,
            open: { readShare: readSecretLine },
            onStart: (start) =>
              say(
                `${start.resumed ? 'Continuing the interrupted move' : 'Moving'} ${start.source} → ${start.target}`,
              ),
            onItem: (item, total, done) => {
              bar?.stop();
              // An empty table shows as one step, done when its (empty) batch commits.
              empty = total === 0;
              bar = startProgress(item.padEnd(24), Math.max(total, 1));
              bar.update(done);
            },
            onDone: (done) => bar?.update(empty ? 1 : done),
          });
          bar?.stop();
          bar = undefined;
          printReport(report);
          if (report.status === 'moved' && !report.ok) process.exit(EXIT_FAILURE);
        } finally {
          bar?.stop();
        }
      }),
    );
}

function printReport(r: StoreMoveReport): void {
  if (r.status === 'already-complete') {
    say(`${r.target} already holds this hospital, moved and proven: nothing to do.`);
    return;
  }
  const { copy } = r;
  const rows = r.tables.reduce((n, t) => n + t.sourceRows, 0);
  const mb = (copy.bytes + copy.attachmentBytes) / MB;
  say(
    `Copied ${copy.rows} rows (${(copy.bytes / MB).toFixed(1)} MB) and ${copy.attachments} X-rays (${(copy.attachmentBytes / MB).toFixed(1)} MB) in ${copy.seconds.toFixed(1)} s: ` +
      `${Math.round(perSecond(copy.rows, copy.seconds))} rows/s, ${perSecond(mb, copy.seconds).toFixed(1)} MB/s` +
      (r.resumed ? ' (this run; the rest was copied before)' : '') +
      '.',
  );
  say(`Proof (${r.proofSeconds.toFixed(1)} s):`);
  say(
    `  tables      ${r.tables.length} tables, ${rows} rows: ${r.tables.filter((t) => t.identical).length} identical (row counts and SHA-256 of every value)`,
  );
  for (const t of r.tables.filter((t) => !t.identical))
    say(`    ${t.table}: ${t.sourceRows} rows in the source, ${t.targetRows} in the target`);
  say(
    `  X-rays      ${r.attachments.checked} whole in the target; ${r.attachments.decrypted} decrypted on both sides and compared`,
  );
  say(`  records     ${r.recordsSampled} sampled, decrypted on both sides and compared`);
  say(
    `  ledger      source verified (${r.ledger.sourceSize} entries); target: ${r.ledger.message} (from the source's checkpoint of ${r.ledger.sourceCheckpoint})`,
  );
  for (const p of r.problems) say(`PROBLEM: ${p}`);
  say(
    r.ok
      ? 'The move is proven. Start the servers with --database-url (DATABASE_URL) set to the target.'
      : 'The move is NOT proven: do not use the target.',
  );
}

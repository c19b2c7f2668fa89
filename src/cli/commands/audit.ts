import fs from 'node:fs';
import type { Command } from 'commander';
import type { PublishedLedgerKeys } from '../../app/audit/index.js';
import { openCliApp } from '../open-app.js';
import { startProgress, type Progress } from '../progress.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';
import { registerAuditProofCommands } from './audit-proof.js';
import { registerAuditWatch } from './audit-watch.js';
import { positiveInteger, readTextFile } from './cli-input.js';
import { describeOutside } from './audit-outside.js';

/**
 * `medvault audit verify|checkpoint|public-key|proof|verify-proof`: the audit ledger from the
 * command line. Thin: every decision is in src/app/audit.
 */
export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('verify the audit ledger, sign checkpoints, produce and check proofs');

  withDataFlags(audit.command('verify'))
    .description(
      'recompute every entry, the hash chain and the Merkle tree, and hold the log to the signed checkpoints ' +
        'in the database, in the checkpoint file and at the witnesses; exit 1 naming the first sequence number ' +
        'that does not verify (a truncated or rolled-back log included)',
    )
    .option(
      '--checkpoint <files...>',
      'also hold the log to these signed checkpoints kept outside the database',
    )
    .option('--batch-size <n>', 'entries read per query', '2000')
    .action(
      runCommand(async (opts: { checkpoint?: string[]; batchSize: string }, cmd: Command) => {
        const batchSize = positiveInteger(opts.batchSize, '--batch-size');
        const checkpoints = (opts.checkpoint ?? []).map((f) => readTextFile(f, 'checkpoint'));
        const app = await openCliApp(configFrom(cmd));
        let progress: Progress | undefined;
        const started = process.hrtime.bigint();
        try {
          const result = await app.audit.verification.verify({
            batchSize,
            given: checkpoints,
            onProgress: (done, total) => {
              progress ??= startProgress('verifying the audit ledger', total);
              progress.update(done);
            },
          });
          progress?.stop();
          const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
          const outsideLines = describeOutside(result);
          if (!result.ok) {
            if (result.seq > 0) process.stdout.write(`Entries 0..${result.seq - 1} verify.\n`);
            for (const line of outsideLines) process.stdout.write(`${line}\n`);
            process.stderr.write(
              `medvault: audit ledger verification FAILED at seq ${result.seq} (${result.kind}): ${result.message}\n`,
            );
            process.exitCode = 1;
            return;
          }
          process.stdout.write(
            `Audit ledger OK: ${result.size} entries verified in ${seconds} s; root ${result.root}.\n`,
          );
          const cp = result.checkpoint;
          process.stdout.write(
            cp === null
              ? 'No signed checkpoint yet: `medvault serve` signs them by itself (or run `medvault audit checkpoint`).\n'
              : `Matches the signed checkpoint of ${cp.treeSize} entries (signed ${new Date(cp.timestamp * 1000).toISOString()}); ${result.checkpointsChecked} checkpoint(s) checked.\n`,
          );
          for (const line of outsideLines) process.stdout.write(`${line}\n`);
        } finally {
          progress?.stop();
          await app.close();
        }
      }),
    );

  withDataFlags(audit.command('checkpoint'))
    .description('sign a checkpoint of the ledger now (C2SP signed note) and print it')
    .option('--out <file>', 'write the checkpoint to this file instead of printing it')
    .action(
      runCommand(async (opts: { out?: string }, cmd: Command) => {
        const app = await openCliApp(configFrom(cmd));
        try {
          const cp = await app.audit.ledger.checkpoint(app.store.db);
          if (opts.out === undefined) {
            process.stdout.write(cp.note);
          } else {
            fs.writeFileSync(opts.out, cp.note);
            process.stdout.write(
              `Signed a checkpoint of ${cp.treeSize} entries (root ${cp.root}) to ${opts.out}.\n`,
            );
          }
        } finally {
          await app.close();
        }
      }),
    );

  withDataFlags(audit.command('public-key'))
    .description(
      "print the ledger's public key: origin, signed-note verifier key, the first key and how many handovers lead from it, and PEM",
    )
    .option('--verifier-key', 'print only the verifier key string (for verify-proof --key)')
    .option('--pem', 'print only the PEM public key')
    .action(
      runCommand(async (opts: { verifierKey?: boolean; pem?: boolean }, cmd: Command) => {
        const app = await openCliApp(configFrom(cmd));
        try {
          const key = await app.audit.ledgerAccess.publicKey();
          if (opts.verifierKey === true) process.stdout.write(`${key.verifierKey}\n`);
          else if (opts.pem === true) process.stdout.write(key.pem);
          else process.stdout.write(formatPublishedKeys(key));
        } finally {
          await app.close();
        }
      }),
    );

  registerAuditProofCommands(audit);

  registerAuditWatch(audit);
}

/** The default `audit public-key` output: the handovers are counted, `keys handovers` prints them. */
function formatPublishedKeys(key: PublishedLedgerKeys): string {
  const chain =
    key.handovers.length === 0
      ? 'handovers: none (the first key signs)\n'
      : `first key: ${key.firstKey}\n` +
        `handovers: ${key.handovers.length} (verifiers that trust the first key follow them: ` +
        '`medvault keys handovers` prints them for `audit verify-proof --handovers` and witnesses)\n';
  return `origin: ${key.origin}\nverifier key: ${key.verifierKey}\n${chain}${key.pem}`;
}

import path from 'node:path';
import type { Command } from 'commander';
import {
  checkRestoredLedger,
  createBackup,
  readBackupHead,
  restoreBackup,
  verifyBackup,
  type VerifiedBackup,
} from '../../app/backup/index.js';
import { openApp } from '../../app/context.js';
import { backupMasterKey } from '../backup-key.js';
import { openCliApp } from '../open-app.js';
import { startProgress, type Progress } from '../progress.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';

const MB = 1024 * 1024;
const say = (line: string): boolean => process.stdout.write(line + '\n');
const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;
const rate = (bytes: number, s: number): string => `${(bytes / MB / Math.max(s, 1e-6)).toFixed(1)} MB/s`;

/** One progress bar per phase, each replaced by the next. */
function phases(): { start(label: string, total: number): void; update(done: number): void; stop(): void } {
  let bar: Progress | undefined;
  return {
    start: (label, total) => {
      bar?.stop();
      bar = startProgress(label, Math.max(total, 1));
    },
    update: (done) => bar?.update(done),
    stop: () => bar?.stop(),
  };
}

/** `medvault backup`, `medvault backup verify`, `medvault restore`. */
export function registerBackupCommands(program: Command): void {
  const backup = withDataFlags(program.command('backup'))
    .description('write an encrypted, signed backup while the server runs (never contains the master key)')
    .option('--out <file>', 'the backup file to create (refused if it exists)')
    .action(
      runCommand(async (opts: { out?: string }, cmd: Command) => {
        if (opts.out === undefined) {
          process.stderr.write('medvault: backup needs --out FILE\n');
          process.exit(2);
        }
        const app = await openCliApp(configFrom(cmd));
        const bars = phases();
        const started = process.hrtime.bigint();
        try {
          const r = await createBackup(app, path.resolve(opts.out), {
            onPhase: (phase, total) => bars.start(phase === 'snapshot' ? 'snapshot' : 'encrypting', total),
            onProgress: bars.update,
          });
          bars.stop();
          const s = seconds(started);
          say(
            `Backup ${r.id} written to ${opts.out}: ${(r.bytes / MB).toFixed(1)} MB (database ${(r.databaseBytes / MB).toFixed(1)} MB, ${r.parts - 1} attachments) in ${s.toFixed(1)} s, ${rate(r.bytes, s)}.`,
          );
          say(
            r.sealedBy === null
              ? 'It is encrypted and signed under keys derived from the master key, which it does not contain.'
              : `It is encrypted and signed under keys only the ${r.sealedBy} can open: restoring it needs that token.`,
          );
        } finally {
          bars.stop();
          await app.close();
        }
      }),
    );

  withDataFlags(backup.command('verify <file>'))
    .description(
      'check a backup completely (key, every chunk, every hash, the signature) without restoring it',
    )
    .action(
      runCommand(async (file: string, _opts: unknown, cmd: Command) => {
        const config = configFrom(cmd);
        const head = await readBackupHead(file);
        const { key } = await backupMasterKey(head, config);
        const bars = phases();
        const started = process.hrtime.bigint();
        try {
          const v = await verifyBackup(file, key, {
            onTotal: (total) => bars.start('verifying', total),
            onProgress: bars.update,
          });
          bars.stop();
          const s = seconds(started);
          say(
            `OK: backup ${v.header.id} of ${new Date(v.header.createdAt).toISOString()} (${v.header.dialect}, ${v.manifest.parts.length} parts) verifies: signature, every chunk, every hash; ${rate(v.bytes, s)}.`,
          );
        } finally {
          bars.stop();
        }
      }),
    );

  withDataFlags(program.command('restore <file>'))
    .description('restore a backup into an empty data folder or database, then verify the ledger')
    .action(
      runCommand(async (file: string, _opts: unknown, cmd: Command) => {
        const config = configFrom(cmd);
        const head = await readBackupHead(file);
        const { key, shares } = await backupMasterKey(head, config);
        const bars = phases();
        const started = process.hrtime.bigint();
        let restored: VerifiedBackup;
        try {
          restored = await restoreBackup(config, file, key, {
            onTotal: (total) => bars.start('verifying', total),
            onProgress: bars.update,
            onRowsTotal: (rows) => bars.start('restoring rows', rows),
            onRows: bars.update,
          });
        } finally {
          bars.stop();
        }
        const s = seconds(started);
        say(
          `Restored backup ${restored.header.id} into ${config.databaseUrl === undefined ? config.dataDir : 'the database'} in ${s.toFixed(1)} s, ${rate(restored.bytes, s)}.`,
        );
        const app = await openApp(config, { readShare: async () => shares.shift() ?? null });
        try {
          await app.audit.ledger.append(app.store.db, {
            actor: null,
            action: 'backup.restore',
            target: { type: 'backup', id: restored.header.id },
            patientId: null,
            outcome: 'success',
          });
          const check =
            restored.manifest.checkpoint === null
              ? null
              : await checkRestoredLedger(app, restored.manifest.checkpoint);
          if (check !== null && !check.ok) {
            process.stderr.write(`medvault: ${check.message}\n`);
            process.exitCode = 1;
          } else if (check !== null) say(check.message);
        } finally {
          await app.close();
        }
      }),
    );
}

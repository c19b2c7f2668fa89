import type { Command } from 'commander';
import { formatHandoverFile } from '../../app/audit/index.js';
import { openCliApp } from '../open-app.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';

/**
 * `medvault keys handover`: hands the ledger's checkpoint signing key over to a new one (a
 * statement signed by the old key naming the new), and `keys handovers`: prints the first key
 * and every statement, for verifiers outside to follow.
 */
export function registerKeysHandoverCommands(keys: Command): void {
  withDataFlags(keys.command('handover'))
    .description("replace the ledger's checkpoint signing key; the old key signs a handover to the new one")
    .action(
      runCommand(async (_opts: unknown, cmd: Command) => {
        const app = await openCliApp(configFrom(cmd));
        try {
          const handed = await app.audit.ledger.handOverSigningKey(app.store.db, null);
          process.stdout.write(
            `Checkpoints from tree size ${handed.treeSize} on are signed by key generation ${handed.generation}:\n${handed.verifierKey}\n` +
              'Give the statement below to every verifier and witness that trusts the old key:\n' +
              handed.statement,
          );
        } finally {
          await app.close();
        }
      }),
    );

  withDataFlags(keys.command('handovers'))
    .description("print the ledger's first signing key and every handover statement since")
    .action(
      runCommand(async (_opts: unknown, cmd: Command) => {
        const app = await openCliApp(configFrom(cmd));
        try {
          const keys = await app.audit.ledgerAccess.publicKey();
          process.stdout.write(formatHandoverFile({ firstKey: keys.firstKey, statements: keys.handovers }));
        } finally {
          await app.close();
        }
      }),
    );
}

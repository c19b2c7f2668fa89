#!/usr/bin/env node
import { Command } from 'commander';
import { registerAnalyticsCommands } from './commands/analytics.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerConsoleCommand } from './console/command.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerRxCommands } from './commands/rx.js';
import { registerSeedCommand } from './commands/seed.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSearchCommands } from './commands/search.js';
import { registerStoreCommands } from './commands/store.js';
import { registerUnsealCommand } from './commands/unseal.js';
import { registerUsersCommands } from './commands/users.js';
import { registerEnrolCommand } from './commands/enrol.js';
import { registerWitnessCommands } from './commands/witness.js';

const program = new Command()
  .name('medvault')
  .description('MedVault: encrypted medical records, signed prescriptions and a verifiable audit ledger.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride((err) => {
    // Usage mistakes exit 2, like invalid configuration; --help and --version exit 0.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

registerServeCommand(program);
registerKeysCommands(program);
registerUnsealCommand(program);
registerBackupCommands(program);
registerStoreCommands(program);
registerSearchCommands(program);
registerAuditCommands(program);
registerAnalyticsCommands(program);
registerUsersCommands(program);
registerEnrolCommand(program);
registerRxCommands(program);
registerSeedCommand(program);
registerDemoCommand(program);
registerWitnessCommands(program);
registerConsoleCommand(program);

await program.parseAsync(process.argv);

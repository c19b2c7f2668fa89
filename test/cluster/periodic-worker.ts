/**
 * A MedVault server process without HTTP for the periodic-work test: opens the app on the given
 * PostgreSQL schema (as `medvault serve` does) and starts its periodic work with short polls,
 * printing every change of ownership on stdout. Runs until killed.
 */
import { openApp } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';

const args = JSON.parse(process.argv[2] as string) as {
  dataDir: string;
  databaseUrl: string;
  masterKey: string;
};
const config = loadConfig({
  MEDVAULT_DATA_DIR: args.dataDir,
  DATABASE_URL: args.databaseUrl,
  MEDVAULT_MASTER_KEY: args.masterKey,
  LOG_LEVEL: 'silent',
});
const app = await openApp(config, CHEAP_COSTS);
app.periodic.start({
  pollMs: 200,
  checkpointPollMs: 100,
  report: (line) => process.stdout.write(`${line}\n`),
});
process.stderr.write('ready\n');
setInterval(() => undefined, 1_000);

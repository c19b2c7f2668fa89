/**
 * A stand-in server for the group-commit durability test: opens the application on the given
 * data, then reads the given records through the records service, `concurrency` reads at a time,
 * forever, printing each record id on its own line the moment its read is answered. The test
 * kills it with SIGKILL mid-stream and checks that every printed read has its ledger entry.
 *
 * stdout is a pipe, and Node writes to pipes synchronously on Linux: a printed line left the
 * process before the next statement ran, so "printed" means "answered".
 */
import { composeApp } from '../../src/app/compose.js';
import { Keyring } from '../../src/app/keyring.js';
import type { Actor } from '../../src/app/actor.js';
import { loadConfig } from '../../src/config/config.js';
import { openStore } from '../../src/store/database.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';
import { scopeOf } from '../support/scopes.js';

const args = JSON.parse(process.argv[2] as string) as {
  dataDir: string;
  databaseUrl?: string;
  masterKey: string;
  doctor: Actor;
  recordIds: string[];
  concurrency: number;
  /** The world's time, fixed (the test's clock). */
  now: number;
};
const config = loadConfig({
  MEDVAULT_DATA_DIR: args.dataDir,
  MEDVAULT_MASTER_KEY: args.masterKey,
  LOG_LEVEL: 'silent',
  ...(args.databaseUrl === undefined ? {} : { DATABASE_URL: args.databaseUrl }),
});
const store = openStore({ dataDir: args.dataDir, databaseUrl: args.databaseUrl });
const keyring = await Keyring.open(store.db, Buffer.from(args.masterKey, 'base64'), 'read-worker');
const clock = (): number => args.now;
const app = await composeApp(store, keyring, config, { ...CHEAP_COSTS, clock });
const scope = scopeOf(args.doctor, clock);
process.stderr.write('ready\n');
let next = 0;
await Promise.all(
  Array.from({ length: args.concurrency }, async () => {
    for (;;) {
      const id = args.recordIds[next++ % args.recordIds.length] as string;
      const record = await app.records.records.get(scope, id);
      process.stdout.write(`${record.id}\n`);
    }
  }),
);

/**
 * A stand-in "server process" for the concurrency test: opens its own store on the given data,
 * appends `count` entries with `writers` concurrent appenders (each append in its own
 * transaction) and prints the sequence numbers it was given, as JSON.
 *
 * A separate process, not a second store in the test's process: better-sqlite3 waits for
 * SQLite's write lock synchronously, so two SQLite connections in one thread would block the
 * very event loop the lock holder needs to commit.
 */
import { composeAudit } from '../../src/app/audit/index.js';
import { Keyring } from '../../src/app/keyring.js';
import { openStore, withTransaction } from '../../src/store/database.js';

const args = JSON.parse(process.argv[2] as string) as {
  dataDir: string;
  databaseUrl?: string;
  masterKey: string;
  count: number;
  writers: number;
  tag: string;
  /** Append with the bare database (group commit) instead of a transaction per append. */
  grouped?: boolean;
};
const store = openStore({ dataDir: args.dataDir, databaseUrl: args.databaseUrl });
try {
  const keyring = await Keyring.open(store.db, Buffer.from(args.masterKey, 'base64'), args.tag);
  const { ledger } = await composeAudit({
    db: store.db,
    keyring,
    clock: Date.now,
    checkpoints: { everyEntries: 100, everySeconds: 60, file: `${args.dataDir}-checkpoints`, witnesses: [] },
  });
  // Start barrier: both "servers" begin appending together, whatever their start-up took.
  process.stderr.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  const seqs: number[] = [];
  await Promise.all(
    Array.from({ length: args.writers }, async (_, w) => {
      for (let i = w; i < args.count; i += args.writers) {
        const event = {
          actor: { userId: `u-${args.tag}`, role: 'doctor' },
          action: 'record.read',
          target: { type: 'test', id: `${args.tag}-${i}` },
          patientId: `p-${i % 10}`,
          outcome: 'success',
          details: { writer: w, i },
        } as const;
        const { seq } =
          args.grouped === true
            ? await ledger.append(store.db, event)
            : await withTransaction(store.db, (tx) => ledger.append(tx, event));
        seqs.push(seq);
      }
    }),
  );
  process.stdout.write(JSON.stringify(seqs));
  if (args.grouped === true) process.stderr.write(`groups ${JSON.stringify(ledger.groupCommitStats)}\n`);
} finally {
  await store.close();
}

import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { AuditLedger, LEDGER_MAC_SECRET } from '../src/app/audit/ledger.js';
import { Keyring } from '../src/app/keyring.js';
import { HashMac } from '../src/crypto/hash-mac.js';
import { verifyInclusion } from '../src/crypto/merkle.js';
import { withTransaction, type Store } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { startProgress } from '../src/cli/progress.js';
import { measure, printTable, time } from './harness.js';
import { benchDatabases } from './databases.js';
import { benchEvent, bulkLoadLedger } from './ledger-loader.js';

export interface LedgerBenchOptions {
  /** Appends per phase (sequential, then 8 writers), per database. */
  readonly appends: { readonly sqlite: number; readonly postgres: number };
  /** Standalone appends by {@link GROUPED_CALLERS} concurrent callers (group commit), per database. */
  readonly grouped: { readonly sqlite: number; readonly postgres: number };
  /** Size of the log verified and proven against. */
  readonly logSize: { readonly sqlite: number; readonly postgres: number };
}

const WRITERS = 8;
/** Concurrent callers appending with the bare database, as concurrent reads do. */
const GROUPED_CALLERS = 64;

/**
 * The audit ledger: appends per second (one writer, eight writers), full verification speed
 * against raw SHA-256 of the same canonical bytes measured in the same run, and inclusion-proof
 * latency at the full log size.
 */
export async function benchLedger(options: LedgerBenchOptions): Promise<void> {
  const appendRows: Array<Array<string | number>> = [];
  const verifyRows: Array<Array<string | number>> = [];
  const proofRows: Array<Array<string | number>> = [];
  for (const db of await benchDatabases()) {
    const store = await db.open();
    try {
      await migrateToLatest(store);
      const keyring = await Keyring.open(store.db, Buffer.alloc(32, 5), store.location);
      const ledger = await AuditLedger.open(keyring);
      const appends = options.appends[db.name];

      const seq = await time(async () => {
        for (let i = 0; i < appends; i++)
          await withTransaction(store.db, (tx) => ledger.append(tx, benchEvent(i)));
      });
      appendRows.push([
        `${db.name}, 1 writer`,
        appends,
        appends / seq.seconds,
        db.name === 'sqlite' ? '≥ 5,000' : '',
      ]);
      const conc = await time(() =>
        Promise.all(
          Array.from({ length: WRITERS }, async (_, w) => {
            for (let i = w; i < appends; i += WRITERS) {
              await withTransaction(store.db, (tx) => ledger.append(tx, benchEvent(i)));
            }
          }),
        ),
      );
      appendRows.push([`${db.name}, ${WRITERS} writers`, appends, appends / conc.seconds, '']);
      const grouped = options.grouped[db.name];
      const groupsBefore = ledger.groupCommitStats.groups;
      const group = await time(() =>
        Promise.all(
          Array.from({ length: GROUPED_CALLERS }, async (_, w) => {
            for (let i = w; i < grouped; i += GROUPED_CALLERS) await ledger.append(store.db, benchEvent(i));
          }),
        ),
      );
      const groups = ledger.groupCommitStats.groups - groupsBefore;
      appendRows.push([
        `${db.name}, ${GROUPED_CALLERS} callers, group commit (${(grouped / groups).toFixed(1)} per commit)`,
        grouped,
        grouped / group.seconds,
        db.name === 'sqlite' ? '≥ 20,000' : '≥ 5,000',
      ]);
      const sanity = await ledger.verify(store.db);
      if (!sanity.ok || sanity.size !== 2 * appends + grouped)
        throw new Error(`append bench log does not verify`);

      const n = options.logSize[db.name];
      await emptyLedger(store);
      const mac = new HashMac(await keyring.secret(LEDGER_MAC_SECRET));
      const load = await bulkLoadLedger(store, mac, n);
      await ledger.checkpoint(store.db);
      const progress = startProgress(`verifying ${n.toLocaleString('en-US')} entries on ${db.name}`, n);
      const verified = await time(() =>
        ledger.verify(store.db, { onProgress: (done) => progress.update(done) }),
      );
      progress.stop();
      if (!verified.value.ok) throw new Error(`verify failed: ${verified.value.message}`);
      const rate = n / verified.seconds;
      const raw = n / load.rawHashSeconds;
      const rawHex = n / load.rawHashHexSeconds;
      verifyRows.push(
        [`SHA-256 of the same canonical bytes, hex out (${db.name} run)`, n, rawHex, '-'],
        [`SHA-256 of the same canonical bytes, Buffer out (${db.name} run)`, n, raw, '-'],
        [
          `audit verify on ${db.name}`,
          n,
          rate,
          `${(rawHex / rate).toFixed(2)}x / ${(raw / rate).toFixed(2)}x`,
        ],
      );

      const gen = await measure(() => ledger.inclusionProof(store.db, randomInt(n), n), 1000);
      const p = await ledger.inclusionProof(store.db, 12_345 % n, n);
      const leaf = Buffer.from(p.leafHash, 'base64');
      const path = p.proof.map((h) => Buffer.from(h, 'base64'));
      const root = Buffer.from(p.root, 'base64');
      const ver = await measure(() => {
        if (!verifyInclusion(leaf, 12_345 % n, n, path, root)) throw new Error('proof does not verify');
      }, 500);
      proofRows.push([`produce, ${db.name}`, n, (1000 / gen.opsPerSecond).toFixed(3), '< 5']);
      proofRows.push([`verify (offline), ${db.name}`, n, (1000 / ver.opsPerSecond).toFixed(4), '< 1']);
    } finally {
      await store.close();
      await db.dispose();
    }
  }
  printTable('Audit ledger: appends per second', ['database', 'appends', 'appends/s', 'target'], appendRows);
  printTable(
    'Audit ledger: full verification (entries/s; target ≥ 200,000 and within 3x of raw SHA-256)',
    ['what', 'entries', 'entries/s', 'slower than raw (hex / Buffer)'],
    verifyRows,
  );
  printTable('Audit ledger: inclusion proofs', ['operation', 'log size', 'ms', 'target ms'], proofRows);
}

/** Resets the ledger tables (between the append phases and the bulk-loaded log). */
async function emptyLedger(store: Store): Promise<void> {
  await withTransaction(store.db, async (tx) => {
    await sql`delete from ledger_entries`.execute(tx);
    await sql`delete from ledger_nodes`.execute(tx);
    await sql`delete from ledger_checkpoints`.execute(tx);
    await sql`update ledger_head set size = 0, last_hash = ${'0'.repeat(64)}`.execute(tx);
  });
}

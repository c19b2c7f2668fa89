import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../../config/config.js';
import { openStore, type Store } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { TABLE_ORDER, tableSpec } from '../../store/store-tables.js';
import { countRows } from '../../store/table-copy.js';
import { listKeyringKeys } from '../../store/keyring-repository.js';
import { openApp, type AppContext, type ComposeOptions } from '../context.js';
import { conflict, invalidInput } from '../errors.js';
import { MASTER_KEY_FILE } from '../master-key.js';
import { FileAttachmentTransfer, type AttachmentTransfer } from './attachment-transfer.js';
import { proveContent, proveLedger, proveRecords, type LedgerProof, type TableProof } from './move-proof.js';
import { copyTables, tableCounts } from './table-mover.js';

export interface StoreMoveOptions {
  /** The hospital to move: its configuration must name a SQLite data folder. */
  readonly source: Config;
  /** postgres://… of an empty database (or schema, through search_path). */
  readonly targetUrl: string;
  /** Where the target's files go: attachments and (without MEDVAULT_MASTER_KEY) master.key. */
  readonly targetDataDir: string;
  /** Rows per batch (one target transaction each); default 1,000. */
  readonly batchSize?: number;
  /** Records decrypted and compared on both sides, and attachments compared by hash; default 100. */
  readonly sample?: number;
  readonly onPlan?: (plan: MovePlan) => void;
  /** After each committed batch: units (rows + attachments) done of `plan.total`. */
  readonly onProgress?: (done: number) => void;
  /** Tests: cheap costs for the two apps the proof opens. The CLI passes none. */
  readonly compose?: ComposeOptions;
  /** Tests only: stop as if killed once this many batches have committed. */
  readonly stopAfterBatches?: number;
}

export interface MovePlan {
  /** True when an interrupted move into this target is being finished. */
  readonly resumed: boolean;
  /** Rows of every table plus attachments: the progress bar's total. */
  readonly total: number;
  readonly source: string;
  readonly target: string;
}

export interface StoreMoveReport {
  readonly ok: boolean;
  readonly resumed: boolean;
  readonly tables: readonly TableProof[];
  readonly rowsCopied: number;
  readonly attachments: {
    readonly copied: number;
    readonly bytes: number;
    readonly checked: number;
    readonly sampled: number;
  };
  readonly recordsSampled: number;
  readonly ledger: LedgerProof;
  /** Empty when ok. */
  readonly problems: readonly string[];
  readonly seconds: number;
}

/**
 * `medvault store migrate`: moves a whole hospital from its SQLite data folder to an empty
 * PostgreSQL database — keyring, every table (ids, bytes and ledger rows identical), attachments
 * — then proves it (see move-proof.ts) and records the move in the target's ledger.
 *
 * The source server must be stopped. Refuses a target that holds other data; a target that holds
 * a prefix of THIS hospital (its keyring rows are the source's own, byte for byte, and its ledger
 * is not longer than the source's) is an interrupted move, and the run finishes it. A completed
 * move has one more ledger entry than the source (the `store.migrate` entry), so a second run is
 * refused instead of copying over a hospital that may be in use.
 * @throws AppError store_not_empty, invalid_input.
 */
export async function moveStore(options: StoreMoveOptions): Promise<StoreMoveReport> {
  const started = process.hrtime.bigint();
  const batchSize = options.batchSize ?? 1000;
  const sample = options.sample ?? 100;
  const { source: config } = options;
  if (config.databaseUrl !== undefined)
    throw invalidInput(
      'store migrate moves a SQLite data folder: run it without DATABASE_URL / --database-url',
    );
  const targetDir = path.resolve(options.targetDataDir);
  if (targetDir === config.dataDir)
    throw invalidInput('the target data folder must not be the source data folder');
  if (!fs.existsSync(path.join(config.dataDir, 'medvault.db')))
    throw invalidInput(`no MedVault database in ${config.dataDir}`);

  const source = await openApp(config, options.compose);
  let target: AppContext | undefined;
  try {
    const targetStore = openStore({ databaseUrl: options.targetUrl, dataDir: targetDir });
    let resumed: boolean;
    try {
      resumed = await prepareTarget(source, targetStore);
    } catch (err) {
      await targetStore.close();
      throw err;
    }
    copyMasterKey(config, targetDir);
    // The consistency proof starts from the source's last checkpoint: make it cover the whole log.
    const checkpoint = await coveringCheckpoint(source);
    const attachments: AttachmentTransfer = new FileAttachmentTransfer(config.dataDir, targetDir);
    const counts = await tableCounts(source.store);
    const attachmentCount = counts.get('attachments') ?? 0;
    const total = [...counts.values()].reduce((a, b) => a + b, 0) + attachmentCount;
    options.onPlan?.({ resumed, total, source: source.store.location, target: targetStore.location });
    let copied;
    try {
      copied = await copyTables(source.store, targetStore, attachments, {
        batchSize,
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        ...(options.stopAfterBatches === undefined ? {} : { stopAfterBatches: options.stopAfterBatches }),
      });
    } finally {
      await targetStore.close();
    }

    // The target as a server would open it: same master key, its own data folder.
    target = await openApp(
      { ...config, databaseUrl: options.targetUrl, dataDir: targetDir },
      options.compose,
    );
    const content = await proveContent(source, target, attachments, { batchSize, sample });
    const records = await proveRecords(source, target, sample);
    const problemsBefore = [...content.problems, ...records.problems];
    const rowsTotal = content.tables.reduce((n, t) => n + t.sourceRows, 0);
    const into = target;
    const ledger = await proveLedger(source, target, checkpoint, async () => {
      await into.audit.ledger.append(into.store.db, {
        actor: null,
        action: 'store.migrate',
        target: null,
        patientId: null,
        outcome: problemsBefore.length === 0 ? 'success' : 'failure',
        details: {
          tables: content.tables.length,
          rows: rowsTotal,
          attachments: content.attachments.checked,
          recordsSampled: records.sampled,
          sourceLedgerSize: checkpoint.treeSize,
          resumed,
        },
      });
    });
    const problems = [...problemsBefore, ...ledger.problems];
    return {
      ok: problems.length === 0,
      resumed,
      tables: content.tables,
      rowsCopied: copied.rowsCopied,
      attachments: {
        copied: copied.attachmentsCopied,
        bytes: copied.attachmentBytes,
        checked: content.attachments.checked,
        sampled: content.attachments.sampled,
      },
      recordsSampled: records.sampled,
      ledger,
      problems,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  } finally {
    await target?.close();
    await source.close();
  }
}

/**
 * Migrates the target's schema and says whether this is a fresh move (false) or the resumption
 * of an interrupted one (true).
 * @throws AppError store_not_empty for anything else.
 */
async function prepareTarget(source: AppContext, target: Store): Promise<boolean> {
  if (target.dialect !== 'postgres') throw invalidInput('the target must be a postgres:// URL');
  await target.ping();
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = current_schema()`.execute(target.db);
  const names = new Set(rows.map((r) => r.name));
  if (names.size > 0 && !names.has('medvault_migrations'))
    throw conflict(
      `${target.location} already holds other tables: move into an empty database`,
      'store_not_empty',
    );
  await migrateToLatest(target);
  let holdsRows = false;
  for (const table of TABLE_ORDER) {
    const spec = tableSpec(table);
    if (spec.seeded !== true && (await countRows(target.db, table)) > 0) holdsRows = true;
  }
  if (!holdsRows) return false;
  const theirs = await listKeyringKeys(target.db);
  const mine = new Map((await listKeyringKeys(source.store.db)).map((k) => [k.id, k.sealed]));
  const sameHospital = theirs.length > 0 && theirs.every((k) => mine.get(k.id)?.equals(k.sealed) === true);
  const sourceLedger = await countRows(source.store.db, 'ledger_entries');
  if (!sameHospital)
    throw conflict(`${target.location} is not empty: move into an empty database`, 'store_not_empty');
  if ((await countRows(target.db, 'ledger_entries')) > sourceLedger)
    throw conflict(
      `${target.location} already holds this hospital, moved and in use (its ledger is longer than the source's)`,
      'store_not_empty',
    );
  return true;
}

/** The source's last checkpoint, signing one first if entries were written after it. */
async function coveringCheckpoint(source: AppContext) {
  const { ledger } = source.audit;
  const last = await ledger.latestCheckpoint(source.store.db);
  const size = await ledger.size(source.store.db);
  return last !== null && last.treeSize === size ? last : ledger.checkpoint(source.store.db);
}

/**
 * The keyring is sealed under the master key, which is never in the database: without
 * MEDVAULT_MASTER_KEY, the source's key file is copied (mode 0600) into the target data folder.
 */
function copyMasterKey(config: Config, targetDir: string): void {
  fs.mkdirSync(targetDir, { recursive: true, mode: 0o700 });
  if (config.masterKey !== undefined) return;
  const from = path.join(config.dataDir, MASTER_KEY_FILE);
  const to = path.join(targetDir, MASTER_KEY_FILE);
  const key = fs.readFileSync(from);
  if (fs.existsSync(to)) {
    if (!fs.readFileSync(to).equals(key))
      throw conflict(`${to} holds another master key: give an empty target data folder`, 'store_not_empty');
    return;
  }
  fs.writeFileSync(to, key, { mode: 0o600, flag: 'wx' });
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../../config/config.js';
import { copyPlan, type CopyTable } from '../../store/copy-plan.js';
import { openStore, SQLITE_FILE_NAME, withTransaction, type Store } from '../../store/database.js';
import { listKeyringKeys } from '../../store/keyring-repository.js';
import { migrateToLatest } from '../../store/migrate.js';
import {
  createMoveState,
  MOVE_ROW,
  moveStateExists,
  readMoveState,
  saveMoveState,
  type MoveStateRow,
} from '../../store/move-state.js';
import type { LedgerCheckpoint } from '../audit/index.js';
import { openApp, type AppContext, type OpenOptions } from '../context.js';
import { conflict, invalidInput } from '../errors.js';
import { attachmentStorageFor } from '../records/index.js';
import { AttachmentTransfer, type AttachmentSide } from './attachment-transfer.js';
import {
  proveAttachments,
  proveRecords,
  proveTables,
  proveTargetLedger,
  verifySourceLedger,
  type LedgerProof,
  type TableProof,
} from './move-proof.js';
import { copyTables, type CopyProgress, type CopyResult } from './table-mover.js';

/**
 * Tables the target's attachment storage owns: filled by the {@link AttachmentTransfer} from the
 * source's storage (files), not copied as rows, and proven attachment by attachment.
 */
const STORAGE_TABLES = new Set(['attachment_chunks']);

export interface StoreMoveOptions extends CopyProgress {
  /** The hospital to move: its configuration names a SQLite data folder and where its master key is. */
  readonly source: Config;
  /** postgres://… of an EMPTY database (or schema, through search_path). */
  readonly targetUrl: string;
  /** Rows per batch (one target transaction each); default 1,000. */
  readonly batchSize?: number;
  /** Records decrypted and compared on both sides, and attachments; default 100. */
  readonly sample?: number;
  /** How the two applications open (the CLI: the officers' shares; tests: cheap costs). */
  readonly open?: OpenOptions;
  /** Called once the target is accepted, before anything is copied. */
  readonly onStart?: (start: MoveStart) => void;
  /** Tests only: stop as if killed once this many batches have committed. */
  readonly stopAfterBatches?: number;
}

export interface MoveStart {
  /** True when an interrupted move into this target is being continued. */
  readonly resumed: boolean;
  readonly source: string;
  readonly target: string;
}

export type StoreMoveReport =
  | { readonly status: 'already-complete'; readonly target: string }
  | {
      readonly status: 'moved';
      readonly ok: boolean;
      readonly resumed: boolean;
      readonly copy: CopyResult;
      readonly tables: readonly TableProof[];
      readonly attachments: { readonly checked: number; readonly decrypted: number };
      readonly recordsSampled: number;
      readonly ledger: LedgerProof;
      /** Empty when ok. */
      readonly problems: readonly string[];
      readonly proofSeconds: number;
    };

/**
 * `medvault store migrate`: moves a whole hospital from its SQLite data folder into an EMPTY
 * PostgreSQL database — keyring (its sealed keys as they are: the master key stays where it is
 * configured), every table verbatim in foreign-key order (ciphertexts are not re-encrypted),
 * attachment contents into `attachment_chunks` — then proves it (move-proof.ts), records the
 * move in the target's ledger and marks it complete.
 *
 * The source server must be stopped. The target's `medvault_store_move` table holds the progress:
 * a run into a target that has it continues that move (when it is of the same hospital), and a
 * completed one is recognised and left alone. Any other non-empty target is refused.
 * @throws AppError conflict (target not empty, or another hospital's move), invalid_input.
 */
export async function moveStore(options: StoreMoveOptions): Promise<StoreMoveReport> {
  const { source: config } = options;
  const batchSize = options.batchSize ?? 1000;
  const sample = options.sample ?? 100;
  if (config.databaseUrl !== undefined)
    throw invalidInput(
      'store migrate moves a SQLite data folder: run it without DATABASE_URL / --database-url',
    );
  if (!/^postgres(ql)?:\/\//.test(options.targetUrl))
    throw invalidInput('the target must be a postgres:// URL');
  if (!fs.existsSync(path.join(config.dataDir, SQLITE_FILE_NAME)))
    throw invalidInput(`there is no MedVault database in ${config.dataDir}`);

  const shares: string[] = [];
  const readShare = options.open?.readShare;
  const source = await openApp(config, {
    ...options.open,
    ...(readShare === undefined
      ? {}
      : {
          readShare: async (prompt: string) => {
            const share = await readShare(prompt);
            if (share !== null) shares.push(share);
            return share;
          },
        }),
  });
  let target: AppContext | undefined;
  try {
    const fingerprint = await sourceFingerprint(source.store);
    const targetStore = openStore({
      databaseUrl: options.targetUrl,
      dataDir: config.dataDir,
      maxConnections: 2,
    });
    let copy: CopyResult;
    let resumed: boolean;
    let plan: CopyTable[];
    let checkpoint: LedgerCheckpoint;
    let tables: Awaited<ReturnType<typeof proveTables>>;
    let proofSeconds = 0;
    try {
      const state = await prepareTarget(targetStore, fingerprint);
      if (state === 'complete') return { status: 'already-complete', target: targetStore.location };
      resumed = state.size > 1;
      options.onStart?.({ resumed, source: source.store.location, target: targetStore.location });
      // The consistency proof starts from the source's last checkpoint: one covering the whole log.
      checkpoint = await coveringCheckpoint(source);
      plan = (await copyPlan(targetStore.db)).filter((t) => !STORAGE_TABLES.has(t.name));
      const transfer = new AttachmentTransfer(
        attachmentStorageFor('files', source.store.db, config.dataDir),
        attachmentStorageFor('database', targetStore.db, config.dataDir),
      );
      copy = await copyTables(source.store, targetStore, plan, state, transfer, {
        batchSize,
        source: fingerprint,
        ...pick(options),
      });
      const started = process.hrtime.bigint();
      tables = await proveTables(source.store, targetStore, plan);
      proofSeconds += Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
      await targetStore.close();
    }

    // The target as a server opens it: the same master key (or the same officers' shares).
    const proofStarted = process.hrtime.bigint();
    target = await openApp(
      { ...config, databaseUrl: options.targetUrl },
      { ...options.open, readShare: async () => shares.shift() ?? null },
    );
    const sides = (app: AppContext, kind: 'files' | 'database'): AttachmentSide => ({
      storage: attachmentStorageFor(kind, app.store.db, config.dataDir),
      db: app.store.db,
      dataKeys: app.dataKeys,
    });
    const sourceSide = sides(source, 'files');
    const targetSide = sides(target, 'database');
    const content = await proveAttachments(
      source,
      plan,
      {
        transfer: new AttachmentTransfer(sourceSide.storage, targetSide.storage),
        source: sourceSide,
        target: targetSide,
      },
      sample,
    );
    const records = await proveRecords(source, target, sample);
    const sourceLedger = await verifySourceLedger(source);
    const problems = [...tables.problems, ...content.problems, ...records.problems];
    if (sourceLedger.problem !== undefined) problems.push(sourceLedger.problem);
    const rows = tables.tables.reduce((n, t) => n + t.sourceRows, 0);
    let ledger: LedgerProof = {
      sourceSize: sourceLedger.size,
      sourceCheckpoint: checkpoint.treeSize,
      targetSize: 0,
      message: 'not checked: the content differs',
      problems: [],
    };
    if (problems.length === 0) {
      // Proven so far: the move goes into the target's ledger and is marked complete together.
      const into = target;
      await withTransaction(into.store.db, async (tx) => {
        await into.audit.ledger.append(tx, {
          actor: null,
          action: 'store.migrate',
          target: null,
          patientId: null,
          outcome: 'success',
          details: {
            tables: tables.tables.length,
            rows,
            attachments: content.checked,
            recordsSampled: records.sampled,
            sourceLedgerSize: sourceLedger.size,
            resumed,
          },
        });
        await saveMoveState(tx, moveRow(fingerprint, true));
      });
      ledger = await proveTargetLedger(target, sourceLedger.size, checkpoint);
      problems.push(...ledger.problems);
    }
    return {
      status: 'moved',
      ok: problems.length === 0,
      resumed,
      copy,
      tables: tables.tables,
      attachments: { checked: content.checked, decrypted: content.decrypted },
      recordsSampled: records.sampled,
      ledger,
      problems,
      proofSeconds: proofSeconds + Number(process.hrtime.bigint() - proofStarted) / 1e9,
    };
  } finally {
    await target?.close();
    await source.close();
  }
}

const pick = (o: StoreMoveOptions): Partial<CopyProgress & { stopAfterBatches: number }> => ({
  ...(o.onItem === undefined ? {} : { onItem: o.onItem }),
  ...(o.onDone === undefined ? {} : { onDone: o.onDone }),
  ...(o.stopAfterBatches === undefined ? {} : { stopAfterBatches: o.stopAfterBatches }),
});

const moveRow = (source: string, done: boolean): MoveStateRow => ({
  item: MOVE_ROW,
  source,
  lastKey: undefined,
  rows: 0,
  bytes: 0,
  done,
});

/**
 * Which hospital this is: SHA-256 over its keyring (ids and sealed keys, random and never
 * rewritten), so an interrupted move is only ever continued from the hospital it started from.
 */
async function sourceFingerprint(store: Store): Promise<string> {
  const hash = createHash('sha256');
  for (const k of (await listKeyringKeys(store.db)).sort((a, b) => (a.id < b.id ? -1 : 1)))
    hash.update(`${k.id}\n`).update(k.sealed);
  return hash.digest('hex');
}

/**
 * Accepts the target: an empty schema becomes a move (state table, then the migrations), a move
 * of this hospital is continued (its state answered), a completed one recognised.
 * @throws AppError conflict for anything else.
 */
async function prepareTarget(
  target: Store,
  fingerprint: string,
): Promise<ReadonlyMap<string, MoveStateRow> | 'complete'> {
  await target.ping();
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
    where table_schema = current_schema()`.execute(target.db);
  if (Number(rows[0]?.n) === 0) {
    await createMoveState(target.db);
    await saveMoveState(target.db, moveRow(fingerprint, false));
  } else if (!(await moveStateExists(target.db))) {
    throw conflict(
      `${target.location} is not empty: store migrate fills only an empty database (its current schema has tables)`,
    );
  }
  const state = await readMoveState(target.db);
  const move = state.get(MOVE_ROW);
  if (move?.source !== fingerprint)
    throw conflict(`${target.location} holds another hospital's move: give an empty database`);
  if (move.done) return 'complete';
  await migrateToLatest(target);
  return state;
}

/** The source's last checkpoint, signing one first when entries were written after it. */
async function coveringCheckpoint(source: AppContext): Promise<LedgerCheckpoint> {
  const { ledger } = source.audit;
  const last = await ledger.latestCheckpoint(source.store.db);
  const size = await ledger.size(source.store.db);
  return last?.treeSize === size ? last : ledger.checkpoint(source.store.db);
}

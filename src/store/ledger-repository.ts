import { PostgresAdapter, sql } from 'kysely';
import type { DbOrTx } from './database.js';
import { rawQuery } from './raw-query.js';
import type { LedgerEntriesTable } from './schema.js';

/** An audit-ledger entry row as stored. */
export type LedgerEntryRow = LedgerEntriesTable;

/** The ledger head: how many entries exist and the last one's leaf hash (hex). */
export interface LedgerHead {
  readonly size: number;
  readonly lastHash: string;
}

/** A stored node hash; level 0 is an entry's leaf hash. */
export interface LedgerNodeRow {
  readonly level: number;
  readonly idx: number;
  readonly hash: string;
}

/** Nodes of one level with idx in [from, to]. */
export interface LedgerNodeRange {
  readonly level: number;
  readonly from: number;
  readonly to: number;
}

/** Filters of the entry listing; all optional, combined with AND. */
export interface LedgerEntryFilter {
  readonly actorId?: string | undefined;
  readonly action?: string | undefined;
  readonly targetType?: string | undefined;
  readonly targetId?: string | undefined;
  readonly patientId?: string | undefined;
  /** Epoch ms, inclusive. */
  readonly from?: number | undefined;
  /** Epoch ms, exclusive. */
  readonly to?: number | undefined;
}

const isPostgres = (db: DbOrTx): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Reads the head and, on PostgreSQL, locks its row until the caller's transaction ends: every
 * append takes this lock first, so appends from any number of processes run one at a time and
 * each sees the size its predecessor committed. On SQLite the IMMEDIATE transaction already holds
 * the database's write lock, and `FOR UPDATE` does not exist.
 */
export async function lockLedgerHead(tx: DbOrTx): Promise<LedgerHead> {
  const query = tx.selectFrom('ledger_head').select(['size', 'last_hash']).where('id', '=', 1);
  const row = await (isPostgres(tx) ? query.forUpdate() : query).executeTakeFirstOrThrow();
  return { size: Number(row.size), lastHash: row.last_hash };
}

/** Reads the head without locking it. */
export async function readLedgerHead(db: DbOrTx): Promise<LedgerHead> {
  const row = await db
    .selectFrom('ledger_head')
    .select(['size', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { size: Number(row.size), lastHash: row.last_hash };
}

export async function setLedgerHead(tx: DbOrTx, head: LedgerHead): Promise<void> {
  await tx
    .updateTable('ledger_head')
    .set({ size: head.size, last_hash: head.lastHash })
    .where('id', '=', 1)
    .execute();
}

/** Inserts entries in one statement (the caller keeps it under the parameter limit). */
export async function insertLedgerEntries(db: DbOrTx, rows: readonly LedgerEntryRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('ledger_entries').values(rows).execute();
}

/** Inserts node hashes of level ≥ 1 in one statement. */
export async function insertLedgerNodes(db: DbOrTx, nodes: readonly LedgerNodeRow[]): Promise<void> {
  if (nodes.length > 0) await db.insertInto('ledger_nodes').values(nodes).execute();
}

/**
 * Node hashes by (level, idx), in ONE statement whatever the number asked for: level 0 from the
 * entries' leaf hashes, higher levels from ledger_nodes. Nodes that do not exist are absent.
 */
export async function readLedgerNodes(
  db: DbOrTx,
  refs: ReadonlyArray<{ readonly level: number; readonly index: number }>,
): Promise<LedgerNodeRow[]> {
  return (await readHeadAndNodes(db, refs, false)).nodes;
}

/**
 * The head and the given node hashes in ONE statement (a single round trip on PostgreSQL): what a
 * proof needs. The head row travels as level −1.
 */
export async function readLedgerHeadAndNodes(
  db: DbOrTx,
  refs: ReadonlyArray<{ readonly level: number; readonly index: number }>,
): Promise<{ head: LedgerHead; nodes: LedgerNodeRow[] }> {
  const { head, nodes } = await readHeadAndNodes(db, refs, true);
  if (head === undefined) throw new Error('ledger_head row is missing');
  return { head, nodes };
}

async function readHeadAndNodes(
  db: DbOrTx,
  refs: ReadonlyArray<{ readonly level: number; readonly index: number }>,
  withHead: boolean,
): Promise<{ head: LedgerHead | undefined; nodes: LedgerNodeRow[] }> {
  const leaves = refs.filter((r) => r.level === 0).map((r) => r.index);
  const inner = refs.filter((r) => r.level > 0);
  const parts = [];
  if (withHead) {
    parts.push(
      db
        .selectFrom('ledger_head')
        .select([sql<number>`-1`.as('level'), 'size as idx', 'last_hash as hash'])
        .where('id', '=', 1),
    );
  }
  if (leaves.length > 0) {
    parts.push(
      db
        .selectFrom('ledger_entries')
        .select([sql<number>`0`.as('level'), 'seq as idx', 'leaf_hash as hash'])
        .where('seq', 'in', leaves),
    );
  }
  if (inner.length > 0) {
    parts.push(
      db
        .selectFrom('ledger_nodes')
        .select(['level', 'idx', 'hash'])
        .where((eb) => eb.or(inner.map((r) => eb.and([eb('level', '=', r.level), eb('idx', '=', r.index)])))),
    );
  }
  const [first, ...rest] = parts;
  if (first === undefined) return { head: undefined, nodes: [] };
  const rows = normaliseNodes(await rest.reduce((q, part) => q.unionAll(part), first).execute());
  const headRow = rows.find((r) => r.level === -1);
  return {
    head: headRow === undefined ? undefined : { size: headRow.idx, lastHash: headRow.hash },
    nodes: rows.filter((r) => r.level >= 0),
  };
}

/** The columns an entry's encoding covers, in stored order (what the leaf hash proves). */
export type LedgerEntryFields = readonly [
  seq: number,
  time: number,
  actorId: string | null,
  actorRole: string | null,
  action: string,
  targetType: string | null,
  targetId: string | null,
  patientId: string | null,
  outcome: string,
  details: string,
  prevHash: string,
];

/**
 * An entry as the verifier scans it: the row's values in {@link LEDGER_TUPLE_COLUMNS} order, as
 * the driver returned them (no object per row).
 */
export type LedgerEntryTuple = readonly [...LedgerEntryFields, leafHash: string, mac: string];

const LEDGER_TUPLE_COLUMNS =
  'seq, time, actor_id, actor_role, action, target_type, target_id, patient_id, outcome, details, prev_hash, leaf_hash, mac';

/**
 * Up to `limit` entries with seq ≥ `fromSeq`, in seq order, as tuples straight from the driver
 * (raw-query.ts): the verifier's keyset scan, where building a million row objects through the
 * query builder cost more than hashing them.
 */
export async function ledgerEntryTuplesFrom(
  db: DbOrTx,
  fromSeq: number,
  limit: number,
): Promise<LedgerEntryTuple[]> {
  return (await rawQuery(
    db,
    `select ${LEDGER_TUPLE_COLUMNS} from ledger_entries where seq >= ? order by seq limit ?`,
    [fromSeq, limit],
  )) as unknown as LedgerEntryTuple[];
}

/** A scanned tuple as the row it is (the verifier's failure path). */
export function rowOfTuple(t: LedgerEntryTuple): LedgerEntryRow {
  return {
    seq: t[0],
    time: t[1],
    actor_id: t[2],
    actor_role: t[3],
    action: t[4],
    target_type: t[5],
    target_id: t[6],
    patient_id: t[7],
    outcome: t[8],
    details: t[9],
    prev_hash: t[10],
    leaf_hash: t[11],
    mac: t[12],
  };
}

/**
 * Stored nodes (level ≥ 1) in the given per-level index ranges, in one statement, as
 * `[level, idx, hash]` tuples straight from the driver (the verifier's scan).
 */
export async function ledgerNodeTuplesInRanges(
  db: DbOrTx,
  ranges: readonly LedgerNodeRange[],
): Promise<Array<readonly [level: number, idx: number, hash: string]>> {
  if (ranges.length === 0) return [];
  const where = ranges.map(() => '(level = ? and idx >= ? and idx <= ?)').join(' or ');
  const rows = await rawQuery(
    db,
    `select level, idx, hash from ledger_nodes where ${where}`,
    ranges.flatMap((r) => [r.level, r.from, r.to]),
  );
  return rows.map((r) => [Number(r[0]), Number(r[1]), r[2] as string] as const);
}

export function findLedgerEntry(db: DbOrTx, seq: number): Promise<LedgerEntryRow | undefined> {
  return db.selectFrom('ledger_entries').selectAll().where('seq', '=', seq).executeTakeFirst();
}

/** The first entry after `afterSeq` that claims `prevHash` as its predecessor, if any. */
export async function findEntryChainedTo(
  db: DbOrTx,
  prevHash: string,
  afterSeq: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('ledger_entries')
    .select('seq')
    .where('prev_hash', '=', prevHash)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.seq);
}

/** Entries matching `filter` with seq < `before` (all when null), newest first. */
export function listLedgerEntries(
  db: DbOrTx,
  filter: LedgerEntryFilter,
  before: number | null,
  limit: number,
): Promise<LedgerEntryRow[]> {
  let q = db.selectFrom('ledger_entries').selectAll();
  if (before !== null) q = q.where('seq', '<', before);
  if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId);
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  if (filter.targetType !== undefined) q = q.where('target_type', '=', filter.targetType);
  if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
  if (filter.patientId !== undefined) q = q.where('patient_id', '=', filter.patientId);
  if (filter.from !== undefined) q = q.where('time', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('time', '<', filter.to);
  return q.orderBy('seq', 'desc').limit(limit).execute();
}

function normaliseNodes(rows: ReadonlyArray<{ level: number; idx: number; hash: string }>): LedgerNodeRow[] {
  return rows.map((r) => ({ level: Number(r.level), idx: Number(r.idx), hash: r.hash }));
}

/** Where a page of grouped history starts: strictly after this (day, newest seq) pair. */
export interface LedgerGroupCursor {
  readonly day: number;
  readonly seq: number;
}

/** One group of a patient's history: entries alike on one day (see {@link listLedgerGroups}). */
export interface LedgerGroupRow {
  readonly day: number;
  readonly lastSeq: number;
  readonly firstSeq: number;
  readonly firstTime: number;
  readonly count: number;
}

const DAY_MS = 86_400_000;

/**
 * A patient's entries with seq ≤ `upTo`, grouped: one group per (day, actor, action, target,
 * outcome, relation, break-glass id), days counted in epoch ms shifted by `offsetMs` (the reader's
 * UTC offset). Newest day first, and within a day the group whose newest entry is newest first;
 * keyset paging on (day, newest seq) after `after`. `upTo` pins the page to a snapshot of the log,
 * so entries appended while someone pages never move a group across a page boundary.
 */
export async function listLedgerGroups(
  db: DbOrTx,
  query: {
    readonly patientId: string;
    readonly upTo: number;
    readonly offsetMs: number;
    readonly after: LedgerGroupCursor | undefined;
    readonly limit: number;
  },
): Promise<LedgerGroupRow[]> {
  const { patientId, upTo, offsetMs, after, limit } = query;
  const json = (key: string) =>
    isPostgres(db)
      ? sql`cast(details as jsonb) ->> ${sql.lit(key)}`
      : sql`json_extract(details, ${sql.lit(`$.${key}`)})`;
  // Rows of a day ≤ the cursor's day are all that later pages can hold: the time bound prunes.
  const timeBound = after === undefined ? sql`` : sql`and time < ${(after.day + 1) * DAY_MS - offsetMs}`;
  const having =
    after === undefined
      ? sql``
      : sql`having day_no < ${after.day} or (day_no = ${after.day} and max(seq) < ${after.seq})`;
  const result = await sql<{
    day_no: number | string;
    last_seq: number | string;
    first_seq: number | string;
    first_time: number | string;
    n: number | string;
  }>`
    select day_no, max(seq) as last_seq, min(seq) as first_seq, min(time) as first_time, count(*) as n
    from (
      select seq, time, actor_id, actor_role, action, target_type, target_id, outcome,
        cast((time + ${offsetMs}) / ${DAY_MS} as bigint) as day_no,
        ${json('relation')} as relation,
        ${json('breakGlassId')} as break_glass_id
      from ledger_entries
      where patient_id = ${patientId} and seq <= ${upTo} ${timeBound}
    ) e
    group by day_no, actor_id, actor_role, action, target_type, target_id, outcome, relation, break_glass_id
    ${having}
    order by day_no desc, max(seq) desc
    limit ${limit}
  `.execute(db);
  return result.rows.map((r) => ({
    day: Number(r.day_no),
    lastSeq: Number(r.last_seq),
    firstSeq: Number(r.first_seq),
    firstTime: Number(r.first_time),
    count: Number(r.n),
  }));
}

/** The entries with these seqs (any order). */
export function findLedgerEntries(db: DbOrTx, seqs: readonly number[]): Promise<LedgerEntryRow[]> {
  if (seqs.length === 0) return Promise.resolve([]);
  return db.selectFrom('ledger_entries').selectAll().where('seq', 'in', seqs).execute();
}

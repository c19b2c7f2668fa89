import { IntegrityError } from '../../crypto/errors.js';
import { findLedgerEntries, listLedgerGroups, readLedgerHead } from '../../store/ledger-repository.js';
import { breakGlassReasons } from '../../store/sharing-repository.js';
import { displayNames } from '../../store/user-repository.js';
import type { AccessScope } from '../access/index.js';
import { entryFromRow, type LedgerEntry } from '../audit/entry.js';
import type { DataKeys } from '../data-keys.js';
import { invalidInput } from '../errors.js';
import { decodeAccessLogCursor, encodeAccessLogCursor, MAX_UTC_OFFSET_MINUTES } from './access-log-cursor.js';
import type { RecordsDeps } from './records-deps.js';

import { DEFAULT_ACCESS_LOG_PAGE, MAX_ACCESS_LOG_PAGE } from '../../contract/vocabulary/paging.js';

export { DEFAULT_ACCESS_LOG_PAGE, MAX_ACCESS_LOG_PAGE };

export interface AccessLogEntry {
  readonly seq: number;
  readonly time: number;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly actorRole: string | null;
  readonly action: string;
  readonly recordId: string | null;
  readonly recordType: string | null;
  readonly outcome: string;
  /** How the actor reached the patient: self, care_team, grant, break_glass or duty. */
  readonly relation: string | null;
  readonly breakGlassReason: string | null;
  /** How many entries this line stands for (1 for a single entry). */
  readonly count: number;
  /** The oldest entry of the group; `seq` and `time` are its newest. */
  readonly firstSeq: number;
  readonly firstTime: number;
}

export interface AccessLogPage {
  readonly entries: readonly AccessLogEntry[];
  readonly nextCursor: string | null;
}

/**
 * A patient's access history, read from the audit ledger (so it is exactly what the ledger
 * proves): every entry about the patient — reads, lists, search hits, writes, sharing changes,
 * break-glass with its reason — newest first. The patient sees their own; admins any patient's;
 * anyone else 403/404.
 *
 * Grouped on the server (issue 15, finding 6): entries alike on one day — same actor, action,
 * target, outcome, relation and break-glass — are one line with their count, first and last
 * time ("Dr Grey listed you 14 times today, 08:02–17:40"), so a doctor who lists their patients
 * all day does not bury the one record someone else opened. Days are the reader's (`utcOffset`,
 * minutes east of UTC). The ledger keeps every entry; only this view groups. Paging is by
 * (day, newest seq) over a snapshot of the log taken at the first page (its size travels in the
 * cursor), so every page groups the same entries and no group is split or repeated across pages.
 */
export class AccessLog {
  constructor(private readonly deps: Pick<RecordsDeps, 'db' | 'dataKeys'>) {}

  async list(
    scope: AccessScope,
    patientId: string,
    query: { cursor?: string | undefined; limit?: number | undefined; utcOffset?: number | undefined } = {},
  ): Promise<AccessLogPage> {
    const { db, dataKeys } = this.deps;
    await scope.accessLog(db, patientId);
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_ACCESS_LOG_PAGE, 1), MAX_ACCESS_LOG_PAGE);
    const cursor = decodeAccessLogCursor(query.cursor);
    const offset = cursor?.offset ?? utcOffsetOf(query.utcOffset);
    const upTo = cursor?.upTo ?? (await readLedgerHead(db)).size - 1;
    if (upTo < 0) return { entries: [], nextCursor: null };
    const groups = await listLedgerGroups(db, {
      patientId,
      upTo,
      offsetMs: offset * 60_000,
      after: cursor === undefined ? undefined : { day: cursor.day, seq: cursor.seq },
      limit: limit + 1,
    });
    const shown = groups.slice(0, limit);
    const rows = new Map(
      (
        await findLedgerEntries(
          db,
          shown.map((g) => g.lastSeq),
        )
      ).map((r) => [Number(r.seq), entryFromRow(r)]),
    );
    const entries = shown.flatMap((g) => {
      const e = rows.get(g.lastSeq);
      return e === undefined ? [] : [{ entry: e, group: g }];
    });
    const names = await displayNames(
      db,
      entries.flatMap(({ entry }) => (entry.actor === null ? [] : [entry.actor.userId])),
    );
    const reasons = await this.reasons(
      dataKeys,
      patientId,
      entries.map(({ entry }) => entry),
    );
    const last = shown[shown.length - 1];
    return {
      entries: entries.map(({ entry, group }) => ({
        ...viewOf(entry, names, reasons),
        count: group.count,
        firstSeq: group.firstSeq,
        firstTime: group.firstTime,
      })),
      nextCursor:
        groups.length > limit && last !== undefined
          ? encodeAccessLogCursor({ day: last.day, seq: last.lastSeq, upTo, offset })
          : null,
    };
  }

  private async reasons(dataKeys: DataKeys, patientId: string, entries: readonly LedgerEntry[]) {
    const ids = entries.flatMap((e) => {
      const id = e.details['breakGlassId'];
      return typeof id === 'string' ? [id] : [];
    });
    const sealed = await breakGlassReasons(this.deps.db, patientId, ids);
    const out = new Map<string, string | null>();
    for (const [id, ct] of sealed) {
      try {
        const ctx = { table: 'break_glass', rowId: id, patientId, field: 'reason' };
        out.set(id, (await dataKeys.open(this.deps.db, ctx, ct)).toString('utf8'));
      } catch (err) {
        if (!(err instanceof IntegrityError)) throw err;
        out.set(id, null); // shown as "reason unavailable"; the entry itself is still listed
      }
    }
    return out;
  }
}

/** Minutes east of UTC, −14:00 to +14:00. @throws AppError invalid_input otherwise. */
function utcOffsetOf(minutes: number | undefined): number {
  const offset = minutes ?? 0;
  if (!Number.isSafeInteger(offset) || Math.abs(offset) > MAX_UTC_OFFSET_MINUTES)
    throw invalidInput(
      `utcOffset must be whole minutes from -${MAX_UTC_OFFSET_MINUTES} to ${MAX_UTC_OFFSET_MINUTES}.`,
    );
  return offset;
}

function viewOf(
  e: LedgerEntry,
  names: ReadonlyMap<string, string | null>,
  reasons: ReadonlyMap<string, string | null>,
): Omit<AccessLogEntry, 'count' | 'firstSeq' | 'firstTime'> {
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const breakGlassId = str(e.details['breakGlassId']);
  return {
    seq: e.seq,
    time: e.time,
    actorId: e.actor?.userId ?? null,
    actorName: e.actor === null ? null : (names.get(e.actor.userId) ?? null),
    actorRole: e.actor?.role ?? null,
    action: e.action,
    recordId: e.target?.type === 'record' ? e.target.id : null,
    recordType: str(e.details['type']),
    outcome: e.outcome,
    relation: str(e.details['relation']) ?? (e.action === 'break_glass' ? 'break_glass' : null),
    breakGlassReason: breakGlassId === null ? null : (reasons.get(breakGlassId) ?? null),
  };
}

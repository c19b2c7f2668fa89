import { IntegrityError } from '../../crypto/errors.js';
import { listLedgerEntries } from '../../store/ledger-repository.js';
import { breakGlassReasons } from '../../store/sharing-repository.js';
import { displayNames } from '../../store/user-repository.js';
import type { AccessScope } from '../access/index.js';
import { entryFromRow, type LedgerEntry } from '../audit/entry.js';
import type { DataKeys } from '../data-keys.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
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
}

export interface AccessLogPage {
  readonly entries: readonly AccessLogEntry[];
  readonly nextCursor: string | null;
}

/**
 * A patient's access history, read from the audit ledger (so it is exactly what the ledger
 * proves): every entry about the patient — reads, search hits, writes, sharing changes,
 * break-glass with its reason — newest first. The patient sees their own; admins any patient's;
 * anyone else 403/404.
 */
export class AccessLog {
  constructor(private readonly deps: Pick<RecordsDeps, 'db' | 'dataKeys'>) {}

  async list(
    scope: AccessScope,
    patientId: string,
    query: { cursor?: string | undefined; limit?: number | undefined } = {},
  ): Promise<AccessLogPage> {
    const { db, dataKeys } = this.deps;
    await scope.accessLog(db, patientId);
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_ACCESS_LOG_PAGE, 1), MAX_ACCESS_LOG_PAGE);
    const cursor = decodeCursor(query.cursor);
    const rows = await listLedgerEntries(db, { patientId }, cursor?.t ?? null, limit + 1);
    const entries = rows.slice(0, limit).map(entryFromRow);
    const names = await displayNames(
      db,
      entries.flatMap((e) => (e.actor === null ? [] : [e.actor.userId])),
    );
    const reasons = await this.reasons(dataKeys, patientId, entries);
    const last = entries[entries.length - 1];
    return {
      entries: entries.map((e) => viewOf(e, names, reasons)),
      nextCursor:
        rows.length > limit && last !== undefined ? encodeCursor({ t: last.seq, id: 'ledger' }) : null,
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

function viewOf(
  e: LedgerEntry,
  names: ReadonlyMap<string, string | null>,
  reasons: ReadonlyMap<string, string | null>,
): AccessLogEntry {
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

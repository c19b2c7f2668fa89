import { searchRecords } from '../../store/search-repository.js';
import { doctorPatientCandidates } from '../../store/sharing-repository.js';
import type { Actor } from '../actor.js';
import { invalidInput } from '../errors.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { coversType, patientAccess, requirePermission, type PatientAccess } from '../policy.js';
import { queryTerms } from './keywords.js';
import { accessDetails, type Records } from './records.js';
import type { RecordsDeps } from './records-deps.js';

import { DEFAULT_SEARCH_PAGE, MAX_SEARCH_PAGE } from '../../contract/vocabulary/paging.js';

export { DEFAULT_SEARCH_PAGE, MAX_SEARCH_PAGE };

export interface SearchHit {
  readonly recordId: string;
  readonly patientId: string;
  readonly type: string;
  readonly title: string;
  readonly createdAt: number;
}

export interface SearchPage {
  readonly hits: readonly SearchHit[];
  readonly nextCursor: string | null;
}

/**
 * Keyword search over the encrypted index, for doctors. The keyword becomes tokens (never stored
 * or logged); the lookup is narrowed to patients the doctor has some relationship with, and then
 * every hit passes the same policy check as a read (relation, grant types, break-glass expiry):
 * a hit the policy refuses is never returned. Each returned hit is a `search.hit` ledger entry.
 */
export class RecordSearch {
  private readonly now: () => number;

  constructor(
    private readonly deps: RecordsDeps,
    private readonly records: Records,
  ) {
    this.now = deps.clock ?? Date.now;
  }

  async search(
    actor: Actor,
    query: { keyword: string; cursor?: string | undefined; limit?: number | undefined },
  ): Promise<SearchPage> {
    const { db, audit, search } = this.deps;
    requirePermission(actor, 'records.search');
    const terms = queryTerms(query.keyword);
    if (terms.length === 0) throw invalidInput('keyword: give a word or an ICD-10 code to search for.');
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_SEARCH_PAGE, 1), MAX_SEARCH_PAGE);
    const cursor = decodeCursor(query.cursor);
    const before =
      cursor === undefined || cursor.t === undefined ? undefined : { createdAt: cursor.t, id: cursor.id };
    const now = this.now();
    const tokens = await search.tokens(terms);
    const candidates = await doctorPatientCandidates(db, actor.userId, now);
    const rows = await searchRecords(db, tokens, candidates, before, limit + 1);
    const scanned = rows.slice(0, limit);
    const accessByPatient = new Map<string, PatientAccess | null>();
    const hits: Array<SearchHit & { access: PatientAccess }> = [];
    for (const row of scanned) {
      if (!accessByPatient.has(row.patient_id)) {
        const access = await patientAccess(db, actor, row.patient_id, 'records.read', now).catch(() => null);
        accessByPatient.set(row.patient_id, access);
      }
      const access = accessByPatient.get(row.patient_id) ?? null;
      if (access === null || !coversType(access, row.type)) continue;
      const dek = await this.records.dekOrFail(actor, row);
      const title = this.records.openTitle(row, dek);
      if (title === undefined) continue; // an unreadable hit is left out, never shown half-decrypted
      hits.push({
        recordId: row.id,
        patientId: row.patient_id,
        type: row.type,
        title,
        createdAt: row.created_at,
        access,
      });
    }
    await audit.appendMany(
      db,
      hits.map((hit) => ({
        actor,
        action: 'search.hit' as const,
        target: { type: 'record', id: hit.recordId },
        patientId: hit.patientId,
        outcome: 'success' as const,
        details: accessDetails(hit.access, { type: hit.type }),
      })),
    );
    const last = scanned[scanned.length - 1];
    return {
      hits: hits.map(({ access: _access, ...hit }) => hit),
      nextCursor:
        rows.length > limit && last !== undefined ? encodeCursor({ t: last.created_at, id: last.id }) : null,
    };
  }
}

import { searchRecords } from '../../store/search-repository.js';
import { covers, type AccessScope, type PatientReach } from '../access/index.js';
import { invalidInput } from '../errors.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
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
 * every hit passes the same scope check as a read (relation, grant types, break-glass expiry):
 * a hit the scope refuses is never returned. Each returned hit is a `search.hit` ledger entry.
 */
export class RecordSearch {
  constructor(
    private readonly deps: RecordsDeps,
    private readonly records: Records,
  ) {}

  async search(
    scope: AccessScope,
    query: { keyword: string; cursor?: string | undefined; limit?: number | undefined },
  ): Promise<SearchPage> {
    const { db, audit, search } = this.deps;
    scope.require('records.search');
    const terms = queryTerms(query.keyword);
    if (terms.length === 0) throw invalidInput('keyword: give a word or an ICD-10 code to search for.');
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_SEARCH_PAGE, 1), MAX_SEARCH_PAGE);
    const cursor = decodeCursor(query.cursor);
    const before =
      cursor === undefined || cursor.t === undefined ? undefined : { createdAt: cursor.t, id: cursor.id };
    const tokens = await search.tokens(terms);
    const candidates = await scope.candidatePatients(db);
    const rows = await searchRecords(db, tokens, candidates, before, limit + 1);
    const scanned = rows.slice(0, limit);
    const reachByPatient = new Map<string, PatientReach | null>();
    const readable: Array<{ row: (typeof scanned)[number]; reach: PatientReach }> = [];
    for (const row of scanned) {
      if (!reachByPatient.has(row.patient_id))
        reachByPatient.set(row.patient_id, await scope.tryPatient(db, row.patient_id, 'read'));
      const reach = reachByPatient.get(row.patient_id) ?? null;
      if (reach !== null && covers(reach, row.type)) readable.push({ row, reach });
    }
    const deks = await this.records.deksOrFail(
      scope.actor,
      readable.map(({ row }) => row),
    );
    const hits: Array<SearchHit & { reach: PatientReach }> = [];
    for (const { row, reach } of readable) {
      const title = this.records.openTitle(row, deks.get(row.id)!);
      if (title === undefined) continue; // an unreadable hit is left out, never shown half-decrypted
      hits.push({
        recordId: row.id,
        patientId: row.patient_id,
        type: row.type,
        title,
        createdAt: row.created_at,
        reach,
      });
    }
    await audit.appendMany(
      db,
      hits.map((hit) => ({
        actor: scope.actor,
        action: 'search.hit' as const,
        target: { type: 'record', id: hit.recordId },
        patientId: hit.patientId,
        outcome: 'success' as const,
        details: accessDetails(hit.reach, { type: hit.type }, hit.type),
      })),
    );
    const last = scanned[scanned.length - 1];
    return {
      hits: hits.map(({ reach: _reach, ...hit }) => hit),
      nextCursor:
        rows.length > limit && last !== undefined ? encodeCursor({ t: last.created_at, id: last.id }) : null,
    };
  }
}

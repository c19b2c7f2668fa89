import { reachDetails, type PatientReach } from '../access/index.js';
import type { AuditDetails } from '../audit/entry.js';

/** What the records service takes and answers, and the ledger details of reaching a record. */

export interface NewRecord {
  readonly type: string;
  readonly title: string;
  readonly body: unknown;
  readonly keywords?: readonly string[] | undefined;
}

export interface RecordSummary {
  readonly id: string;
  readonly patientId: string;
  readonly type: string;
  readonly authorId: string;
  readonly createdAt: number;
}

export interface RecordListItem extends RecordSummary {
  /** Null where the list does not decrypt titles (a doctor's recent records). */
  readonly title: string | null;
  readonly authorName: string | null;
}

export interface RecordView extends RecordSummary {
  readonly title: string;
  readonly body: unknown;
  readonly keywords: readonly string[];
  readonly authorName: string | null;
}

export interface RecordPage {
  readonly records: readonly RecordListItem[];
  readonly nextCursor: string | null;
}

/**
 * Ledger details of a read or write: how the caller reached the patient (relation, and the grant
 * with its scope or the break-glass it went through), for a record of `recordType` when one.
 */
export const accessDetails = (
  reach: PatientReach,
  extra: AuditDetails = {},
  recordType?: string,
): AuditDetails => ({ ...extra, ...reachDetails(reach, recordType) });

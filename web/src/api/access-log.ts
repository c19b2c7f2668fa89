/**
 * A patient's access history: who read or wrote what of theirs, when, in which role and why
 * (break-glass reason). GET /patients/:id/access-log (the patient themself, admins), newest first.
 */
import { apiGet, isRecord, segment } from './client.js';
import { firstText, idOf, listOf, parseEach, timeOf } from './parse.js';

export interface AccessEntry {
  readonly seq: number;
  readonly time: number | undefined;
  readonly actorId: string | undefined;
  readonly actorName: string | undefined;
  readonly actorRole: string | undefined;
  /** e.g. record.read, attachment.read, search.hit, break_glass (any name the server sends). */
  readonly action: string;
  readonly recordId: string | undefined;
  readonly recordType: string | undefined;
  readonly outcome: string;
  /** How the actor reached the patient: self, care_team, grant, break_glass. */
  readonly relation: string | undefined;
  readonly breakGlassReason: string | undefined;
}

export interface AccessPage {
  readonly entries: readonly AccessEntry[];
  readonly next: string | undefined;
}

function parseEntry(item: unknown): AccessEntry | undefined {
  if (!isRecord(item)) return undefined;
  const seq = typeof item.seq === 'number' && Number.isSafeInteger(item.seq) ? item.seq : undefined;
  const action = firstText(item, 'action');
  if (seq === undefined || action === undefined) return undefined;
  return {
    seq,
    time: timeOf(item.time),
    actorId: idOf(item.actorId),
    actorName: firstText(item, 'actorName'),
    actorRole: firstText(item, 'actorRole'),
    action,
    recordId: idOf(item.recordId),
    recordType: firstText(item, 'recordType'),
    outcome: firstText(item, 'outcome') ?? 'unknown',
    relation: firstText(item, 'relation'),
    breakGlassReason: firstText(item, 'breakGlassReason'),
  };
}

export async function listAccessLog(patientId: string, cursor?: string, limit?: number): Promise<AccessPage> {
  const params = new URLSearchParams();
  if (cursor !== undefined) params.set('cursor', cursor);
  if (limit !== undefined) params.set('limit', String(limit));
  const text = params.toString();
  const body = await apiGet(`/patients/${segment(patientId)}/access-log${text ? `?${text}` : ''}`);
  return {
    entries: parseEach(listOf(body, 'entries'), parseEntry),
    next: isRecord(body) ? firstText(body, 'nextCursor', 'next') : undefined,
  };
}

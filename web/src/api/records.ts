/**
 * Medical records: a patient's records by type, one record with its body, a doctor's recent
 * records, and writing a new record. Answers are checked before the UI uses them; a record body
 * is passed on as an unknown object and narrowed per type by the record views.
 */
import { apiGet, apiPost, isRecord, segment } from './client.js';
import { firstText, idOf, listOf, malformed, parseEach, timeOf, unwrap } from './parse.js';

export interface RecordSummary {
  readonly id: string;
  readonly patientId: string;
  /** A known record type, or whatever the server sent (shown as is). */
  readonly type: string;
  /** Undefined where the server lists metadata only (a doctor's recent records). */
  readonly title: string | undefined;
  readonly authorId: string | undefined;
  readonly authorName: string | undefined;
  readonly createdAt: number | undefined;
}

export interface RecordDetails extends RecordSummary {
  readonly title: string;
  /** The type's body, unchecked: the record views narrow it per type. */
  readonly body: Record<string, unknown>;
  readonly keywords: readonly string[];
}

export interface RecordPage {
  readonly records: readonly RecordSummary[];
  /** Pass back as `cursor` for the next page; undefined on the last page. */
  readonly next: string | undefined;
}

function parseSummary(item: unknown): RecordSummary | undefined {
  if (!isRecord(item)) return undefined;
  const id = idOf(item.id) ?? idOf(item.recordId);
  const patientId = idOf(item.patientId);
  const type = firstText(item, 'type');
  if (id === undefined || patientId === undefined || type === undefined) return undefined;
  return {
    id,
    patientId,
    type,
    title: firstText(item, 'title'),
    authorId: idOf(item.authorId),
    authorName: firstText(item, 'authorName', 'authorDisplayName'),
    createdAt: timeOf(item.createdAt),
  };
}

function nextOf(body: unknown): string | undefined {
  return isRecord(body) ? firstText(body, 'nextCursor', 'next') : undefined;
}

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export interface RecordListQuery {
  readonly type?: string | undefined;
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

/** GET /patients/:id/records (doctor with access; the patient themself), newest first, paged. */
export async function listPatientRecords(
  patientId: string,
  options: RecordListQuery = {},
): Promise<RecordPage> {
  const body = await apiGet(
    `/patients/${segment(patientId)}/records${query({ type: options.type, cursor: options.cursor, limit: options.limit })}`,
  );
  return { records: parseEach(listOf(body, 'records'), parseSummary), next: nextOf(body) };
}

/** GET /records/recent: the records the signed-in doctor wrote last. */
export async function listRecentRecords(): Promise<RecordSummary[]> {
  return parseEach(listOf(await apiGet('/records/recent'), 'records'), parseSummary);
}

/** GET /records/:id: one record with its decrypted body (every read is written to the ledger). */
export async function getRecord(recordId: string): Promise<RecordDetails> {
  const body = unwrap(await apiGet(`/records/${segment(recordId)}`), 'record');
  const summary = parseSummary(body);
  if (!body || !summary) throw malformed('record');
  const keywords = Array.isArray(body.keywords)
    ? body.keywords.filter((k): k is string => typeof k === 'string' && k.length > 0)
    : [];
  return {
    ...summary,
    title: summary.title ?? 'Untitled record',
    body: isRecord(body.body) ? body.body : {},
    keywords,
  };
}

export interface NewRecord {
  readonly type: string;
  readonly title: string;
  readonly body: Record<string, unknown>;
  readonly keywords?: readonly string[];
}

export interface CreatedRecord {
  readonly id: string;
  readonly patientId: string;
}

/** POST /patients/:id/records (a doctor with access). */
export async function createRecord(patientId: string, record: NewRecord): Promise<CreatedRecord> {
  const body = unwrap(await apiPost(`/patients/${segment(patientId)}/records`, record), 'record');
  const id = body ? (idOf(body.id) ?? idOf(body.recordId)) : undefined;
  if (!body || id === undefined) throw malformed('answer to the new record');
  return { id, patientId: idOf(body.patientId) ?? patientId };
}

/**
 * Medical records: a patient's records by type, one record with its body, a doctor's recent
 * records, and writing a new record. A record body is the contract's `unknown`: the record
 * views narrow it per type.
 */
import { api, type RouteInput, type RouteOutput } from './client.js';

export type RecordPage = RouteOutput<'listRecords'>;
export type RecordSummary = RecordPage['records'][number];
export type RecordDetails = RouteOutput<'getRecord'>;
export type RecordListQuery = NonNullable<RouteInput<'listRecords'>['query']>;
export type NewRecord = RouteInput<'createRecord'>['body'];
export type CreatedRecord = RouteOutput<'createRecord'>;

/** GET /patients/:id/records (doctor with access; the patient themself), newest first, paged. */
export async function listPatientRecords(
  patientId: string,
  query: RecordListQuery = {},
): Promise<RecordPage> {
  return api.call('listRecords', { params: { id: patientId }, query });
}

/** GET /records/recent: the records the signed-in doctor wrote last. */
export async function listRecentRecords(): Promise<RecordSummary[]> {
  return (await api.call('recentRecords')).records;
}

/** GET /records/:id: one record with its decrypted body (every read is written to the ledger). */
export async function getRecord(recordId: string): Promise<RecordDetails> {
  return api.call('getRecord', { params: { id: recordId } });
}

/** POST /patients/:id/records (a doctor with access). */
export async function createRecord(patientId: string, record: NewRecord): Promise<CreatedRecord> {
  return api.call('createRecord', { params: { id: patientId }, body: record });
}

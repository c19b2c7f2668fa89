/** The records context's public entry: its compose function and public types. */
export { composeRecords, type RecordsContextDeps, type RecordsServices } from './compose.js';
export type { RecordsDeps } from './records-deps.js';
export type { RecordCipher } from './record-cipher.js';
export type { RecordedVitals, VitalsSink } from './vitals-sink.js';
export { SearchIndex } from './search-index.js';
export type { ReindexOptions, ReindexResult } from './search-reindex.js';
export { DiagnosisCohort } from './diagnosis-cohort.js';
export {
  MAX_TITLE_LENGTH,
  MAX_KEYWORDS,
  MAX_RECORD_PAGE,
  type NewRecord,
  type RecordSummary,
  type RecordListItem,
  type RecordView,
  type RecordPage,
} from './records.js';
export {
  WRITABLE_RECORD_TYPES,
  type WritableRecordType,
  type RecordBodies,
  type TypedBody,
} from './record-types.js';
export { MAX_KEYWORD_LENGTH } from './keywords.js';
export { MAX_SEARCH_PAGE, type SearchHit, type SearchPage } from './record-search.js';
export { MAX_ACCESS_LOG_PAGE, type AccessLogEntry, type AccessLogPage } from './access-log.js';
export {
  ATTACHMENT_RECORD_TYPE,
  type IncomingFile,
  type AttachmentView,
  type AttachmentDownload,
} from './attachments.js';
export { ATTACHMENT_TYPES, type AttachmentType } from './attachment-content.js';
export { recordFieldContext, recordKeyContext } from './record-crypto.js';
export type { AttachmentStorage } from './attachment-storage.js';
export { attachmentStorageFor, type AttachmentStorageKind } from './attachment-storage-for.js';
export { attachmentContext } from './attachment-meta.js';

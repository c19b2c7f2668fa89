/** Tables of the records capability (migration 004-records). */
export interface RecordsSchema {
  records: RecordsTable;
  attachments: AttachmentsTable;
  attachment_chunks: AttachmentChunksTable;
  search_index: SearchIndexTable;
}

/**
 * One medical record. Only what lists need is in clear (who, whose, what type, when); the title
 * and the body are envelope ciphertext bound to (records, id, patient_id, field).
 */
export interface RecordsTable {
  id: string;
  patient_id: string;
  type: string;
  author_id: string;
  created_at: number;
  title_ct: Buffer;
  body_ct: Buffer;
}

/**
 * One attachment of a record. The bytes are a streaming-envelope file under the data folder
 * (attachments/<id>.mves); content type, file name, size and SHA-256 of the plaintext are
 * envelope ciphertext in meta_ct. stored_bytes is the ciphertext file's size (not secret: the
 * file system shows it anyway).
 */
export interface AttachmentsTable {
  id: string;
  record_id: string;
  patient_id: string;
  created_at: number;
  meta_ct: Buffer;
  stored_bytes: number;
}

/**
 * One piece of an attachment's stored stream (MVES ciphertext), in order by `idx` from 0. Used on
 * PostgreSQL (migration 012); the pieces concatenated are exactly what a file would hold.
 */
export interface AttachmentChunksTable {
  attachment_id: string;
  idx: number;
  data: Buffer;
}

/**
 * Keyword tokens: HMAC-SHA256 of a normalised keyword under the search key (see search-token.ts).
 * The record's patient and time are repeated here (they are in clear in `records` already, so
 * this reveals nothing new) so that a search is answered from the primary key alone: one range
 * per (token, reachable patient), already in time order.
 */
export interface SearchIndexTable {
  token: Buffer;
  patient_id: string;
  created_at: number;
  record_id: string;
}

import type { DbOrTx } from './database.js';
import type { AttachmentsTable } from './schema-records.js';

export type AttachmentRow = AttachmentsTable;

/** The data_keys owner_table of attachment DEKs (content and meta). */
const OWNER_TABLE = 'attachments';

const toRow = (r: AttachmentRow): AttachmentRow => ({
  ...r,
  created_at: Number(r.created_at),
  stored_bytes: Number(r.stored_bytes),
});

export async function insertAttachment(tx: DbOrTx, row: AttachmentRow): Promise<void> {
  await tx.insertInto('attachments').values(row).execute();
}

/** One attachment, only if it belongs to `recordId` (an id under another record is not found). */
export async function findAttachment(
  db: DbOrTx,
  recordId: string,
  id: string,
): Promise<AttachmentRow | undefined> {
  const row = await db
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', id)
    .where('record_id', '=', recordId)
    .executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

/** One attachment by its id alone (the access scope then checks its record): FHIR's Binary/<id>. */
export async function findAttachmentById(db: DbOrTx, id: string): Promise<AttachmentRow | undefined> {
  const row = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

/** A record's attachments, oldest first (the order they were added to the study). */
export async function listRecordAttachments(db: DbOrTx, recordId: string): Promise<AttachmentRow[]> {
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('record_id', '=', recordId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRow);
}

/** Whether an attachment row exists (the sweep keeps files that have one). */
export async function attachmentExists(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db.selectFrom('attachments').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** Removes the DEKs of an attachment that never got its row (a failed or abandoned upload). */
export async function deleteAttachmentDataKeys(db: DbOrTx, attachmentId: string): Promise<number> {
  const result = await db
    .deleteFrom('data_keys')
    .where('owner_table', '=', OWNER_TABLE)
    .where('owner_id', '=', attachmentId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Owner ids of attachment DEKs created before `before` whose attachment row does not exist:
 * uploads that died with their process between creating the key and committing the row.
 */
export async function orphanAttachmentKeyOwners(db: DbOrTx, before: number, limit = 1000): Promise<string[]> {
  const rows = await db
    .selectFrom('data_keys')
    .select('owner_id')
    .where('owner_table', '=', OWNER_TABLE)
    .where('created_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('attachments').select('id').whereRef('attachments.id', '=', 'data_keys.owner_id')),
      ),
    )
    .limit(limit)
    .execute();
  return [...new Set(rows.map((r) => r.owner_id))];
}

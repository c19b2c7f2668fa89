import { sql } from 'kysely';
import type { DbOrTx } from './database.js';

/** Stores piece `idx` of an attachment's stored stream (its own statement: durable on return). */
export async function insertAttachmentChunk(
  db: DbOrTx,
  attachmentId: string,
  idx: number,
  data: Buffer,
): Promise<void> {
  await db.insertInto('attachment_chunks').values({ attachment_id: attachmentId, idx, data }).execute();
}

/** How many pieces an attachment has and their total length in bytes (0, 0 when none). */
export async function attachmentChunkExtent(
  db: DbOrTx,
  attachmentId: string,
): Promise<{ count: number; bytes: number }> {
  const row = await db
    .selectFrom('attachment_chunks')
    .select([
      sql<number>`count(*)`.as('count'),
      // length() of a bytea (PostgreSQL) or a blob (SQLite) is its size in bytes.
      sql<number | null>`sum(length(data))`.as('bytes'),
    ])
    .where('attachment_id', '=', attachmentId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), bytes: Number(row.bytes ?? 0) };
}

/** Piece `idx` of an attachment, or undefined when it is not there. */
export async function readAttachmentChunk(
  db: DbOrTx,
  attachmentId: string,
  idx: number,
): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('attachment_chunks')
    .select('data')
    .where('attachment_id', '=', attachmentId)
    .where('idx', '=', idx)
    .executeTakeFirst();
  return row?.data;
}

/** Removes every piece of an attachment (a failed or abandoned upload). */
export async function deleteAttachmentChunks(db: DbOrTx, attachmentId: string): Promise<number> {
  const result = await db
    .deleteFrom('attachment_chunks')
    .where('attachment_id', '=', attachmentId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

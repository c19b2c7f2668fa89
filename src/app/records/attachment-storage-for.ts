import type { Db } from '../../store/database.js';
import { AttachmentChunks } from './attachment-chunks.js';
import { AttachmentFiles } from './attachment-files.js';
import type { AttachmentStorage } from './attachment-storage.js';

/** Where a store keeps attachment content: files in the data folder, or chunks in the database. */
export type AttachmentStorageKind = 'files' | 'database';

/** The one choice of attachment storage (the records context and `store migrate` both use it). */
export const attachmentStorageFor = (
  kind: AttachmentStorageKind,
  db: Db,
  dataDir: string,
): AttachmentStorage => (kind === 'database' ? new AttachmentChunks(db) : new AttachmentFiles(dataDir));

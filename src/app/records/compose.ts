import { AccessLog } from './access-log.js';
import { attachmentStorageFor, type AttachmentStorageKind } from './attachment-storage-for.js';
import { Attachments } from './attachments.js';
import { RecordSearch } from './record-search.js';
import { Records } from './records.js';
import type { RecordsDeps } from './records-deps.js';
import { reindexSearch, type ReindexOptions, type ReindexResult } from './search-reindex.js';

/** The records context of a running process: encrypted records, search, access history, images. */
export interface RecordsServices {
  readonly records: Records;
  /** Keyword search over the blind index, for doctors. */
  readonly search: RecordSearch;
  /** A patient's access history, from the ledger. */
  readonly accessLog: AccessLog;
  /** Encrypted image attachments of imaging records (streamed; files or database chunks). */
  readonly attachments: Attachments;
  /** Rebuilds every record's search tokens (`medvault search reindex`). */
  reindexSearch(options?: ReindexOptions): Promise<ReindexResult>;
}

export interface RecordsContextDeps extends RecordsDeps {
  /** The data folder; attachment files go under `<dataDir>/attachments` (files storage). */
  readonly dataDir: string;
  /**
   * Where attachment ciphertext is stored: 'files' under the data folder (SQLite: one server),
   * 'database' chunks (PostgreSQL: every server reads what any server wrote).
   */
  readonly attachmentStorage: AttachmentStorageKind;
  /** Largest attachment (plaintext) an upload may carry, in bytes. */
  readonly attachmentLimitBytes: number;
}

/** Builds the records context. */
export function composeRecords(deps: RecordsContextDeps): RecordsServices {
  const records = new Records(deps);
  return {
    records,
    search: new RecordSearch(deps, records),
    accessLog: new AccessLog(deps),
    attachments: new Attachments({
      db: deps.db,
      dataKeys: deps.dataKeys,
      audit: deps.audit,
      storage: attachmentStorageFor(deps.attachmentStorage, deps.db, deps.dataDir),
      limitBytes: deps.attachmentLimitBytes,
      ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    }),
    reindexSearch: (options) => reindexSearch(deps, options),
  };
}

import { AccessLog } from './access-log.js';
import { Attachments } from './attachments.js';
import { RecordSearch } from './record-search.js';
import { Records } from './records.js';
import type { RecordsDeps } from './records-deps.js';

/** The records context of a running process: encrypted records, search, access history, images. */
export interface RecordsServices {
  readonly records: Records;
  /** Keyword search over the blind index, for doctors. */
  readonly search: RecordSearch;
  /** A patient's access history, from the ledger. */
  readonly accessLog: AccessLog;
  /** Encrypted image attachments of imaging records (streamed; files under the data folder). */
  readonly attachments: Attachments;
}

export interface RecordsContextDeps extends RecordsDeps {
  /** The data folder; attachment files go under `<dataDir>/attachments`. */
  readonly dataDir: string;
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
      dataDir: deps.dataDir,
      limitBytes: deps.attachmentLimitBytes,
      ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    }),
  };
}

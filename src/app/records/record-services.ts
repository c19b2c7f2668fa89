import { AccessLog } from './access-log.js';
import { RecordSearch } from './record-search.js';
import { Records } from './records.js';
import type { RecordsDeps } from './records-deps.js';

/** The records services a running process holds (fields of AppContext). */
export interface RecordServices {
  readonly records: Records;
  readonly recordSearch: RecordSearch;
  readonly accessLog: AccessLog;
}

export function createRecordServices(deps: RecordsDeps): RecordServices {
  const records = new Records(deps);
  return { records, recordSearch: new RecordSearch(deps, records), accessLog: new AccessLog(deps) };
}

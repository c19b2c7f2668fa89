import type { Db } from '../../store/database.js';
import type { DataKeys } from '../data-keys.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import type { RecordCipher } from './record-cipher.js';
import type { SearchIndex } from './search-index.js';
import type { VitalsSink } from './vitals-sink.js';

/** What the records, search and access-log services are built from (see openApp). */
export interface RecordsDeps {
  readonly db: Db;
  readonly dataKeys: DataKeys;
  readonly audit: LedgerAppend;
  readonly search: SearchIndex;
  /** Receives each new vitals record's numbers (the analytics module); optional in tests. */
  readonly vitals?: VitalsSink | undefined;
  /** Defaults to the envelope (a DEK per record); only the benchmark's baseline passes another. */
  readonly cipher?: RecordCipher | undefined;
  /** Epoch milliseconds; injectable so tests can move time. */
  readonly clock?: () => number;
}

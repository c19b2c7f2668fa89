import type { DbOrTx } from '../../store/database.js';
import type { MeasuredVital } from '../../contract/vocabulary/vital-metrics.js';

/** The vitals of one record, as validated (values in the metric's unit, within its bounds). */
export interface RecordedVitals {
  readonly recordId: string;
  readonly patientId: string;
  /** Epoch milliseconds. */
  readonly measuredAt: number;
  readonly values: Partial<Readonly<Record<MeasuredVital, number>>>;
}

/**
 * Where the records service hands a new vitals record's numbers, inside the record's own
 * transaction, so the homomorphically encrypted copy the statistics use exists exactly when the
 * record does. Implemented by the analytics module (Paillier ciphertexts per patient).
 */
export interface VitalsSink {
  store(tx: DbOrTx, vitals: RecordedVitals): Promise<void>;
}

import { findPatientDemographics } from '../../store/patient-repository.js';
import { insertVitalRecords } from '../../store/analytics-repository.js';
import type { DbOrTx } from '../../store/database.js';
import type { DataKeys } from '../data-keys.js';
import { invalidInput, notFound } from '../errors.js';
import { openText, patientField } from '../identity/patients.js';
import {
  encodeVital,
  MEASURED_VITALS,
  VITAL_KEYS,
  VITAL_METRICS,
  type VitalKey,
} from '../../contract/vocabulary/vital-metrics.js';
import type { RecordedVitals, VitalsSink } from '../records/vitals-sink.js';
import { ageAt } from './age.js';
import type { AnalyticsKeyStore } from './analytics-key.js';
import { packVitals } from './vital-packing.js';

/**
 * The records service's vitals sink: inside the transaction that creates a vitals record, its
 * measured values and the patient's age at the measurement (from their sealed date of birth) are
 * packed into one plaintext (vital-packing.ts) and encrypted once with Paillier, stored in
 * `analytics_vital_records` with the age tag and a MAC over the row (and the list of metrics it
 * holds); `analytics_vitals` gets a row per metric present — the index the "latest per patient"
 * query walks. The obfuscator comes from the key's pool, so a record write pays tens of
 * microseconds, not an exponentiation, while the pool lasts; packing makes that one obfuscator
 * per record instead of one per value.
 *
 * Nothing derived from a vital is stored in clear. Everything goes through `tx` (the caller's
 * transaction): on SQLite a query on another handle would wait for this very transaction.
 */
export class EncryptedVitals implements VitalsSink {
  constructor(
    private readonly keys: AnalyticsKeyStore,
    private readonly dataKeys: DataKeys,
  ) {}

  /** @throws AppError invalid_input for a value outside its metric's bounds, not_found for no patient. */
  async store(tx: DbOrTx, vitals: RecordedVitals): Promise<void> {
    const values: Array<[VitalKey, number]> = [];
    for (const metric of MEASURED_VITALS) {
      const value = vitals.values[metric];
      if (value === undefined) continue;
      const encoded = encodeVital(VITAL_METRICS[metric], value);
      if (encoded === null) {
        const { min, max, unit } = VITAL_METRICS[metric];
        throw invalidInput(`${metric} must be between ${min} and ${max} ${unit}.`, 'vital_out_of_range');
      }
      values.push([metric, encoded]);
    }
    const patient = await findPatientDemographics(tx, vitals.patientId);
    if (patient === undefined) throw notFound('patient');
    const dob = await openText(this.dataKeys, tx, patientField(patient.id, 'dob'), patient.dobCt);
    const age = ageAt(dob, vitals.measuredAt);
    if (age === null) throw invalidInput('The measurement time must fall within the patient’s lifetime.');
    values.push(['age', age]);

    const key = await this.keys.get(tx);
    const pk = key.paillier.publicKey;
    const fields = {
      recordId: vitals.recordId,
      patientId: vitals.patientId,
      measuredAt: vitals.measuredAt,
      keyId: key.id,
      metrics: VITAL_KEYS.filter((k) => values.some(([metric]) => metric === k)).join(','),
      ciphertext: pk.serialise(pk.encrypt(packVitals(values), key.pool.take())),
      ageTag: key.tags.ageTag(age),
    };
    await insertVitalRecords(tx, [{ ...fields, mac: key.tags.recordMac(fields) }]);
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import { nextTestMrn } from '../support/test-mrn.js';
import type { AppContext } from '../../src/app/context.js';
import { patientField } from '../../src/app/identity/patients.js';
import type { MeasuredVital } from '../../src/contract/vocabulary/vital-metrics.js';
import { withTransaction } from '../../src/store/database.js';
import { insertPatient } from '../../src/store/patient-repository.js';

export interface SeedPatient {
  readonly dateOfBirth: string;
  readonly smokingStatus?: string;
  readonly vitals: Partial<Record<MeasuredVital, number>>;
}

/**
 * Patients with one vitals measurement each, in a running app: the patient row (sealed date of
 * birth, no credentials) and the measurement through the app's own vitals sink, in one
 * transaction — what the records service does when a doctor writes a vitals record.
 */
export async function seedVitals(
  app: AppContext,
  createdBy: string,
  patients: readonly SeedPatient[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const p of patients) {
    const id = randomUUID();
    await withTransaction(app.store.db, async (tx) => {
      const dobCt = await app.dataKeys.seal(tx, patientField(id, 'dob'), Buffer.from(p.dateOfBirth, 'utf8'));
      await insertPatient(tx, {
        id,
        ssnIndex: randomBytes(32),
        mrn: nextTestMrn(),
        ssnCt: randomBytes(40),
        nameCt: randomBytes(40),
        dobCt,
        smokingStatus: p.smokingStatus ?? 'never',
        createdBy,
        now: Date.now(),
      });
      await app.analytics.vitalsSink.store(tx, {
        recordId: randomUUID(),
        patientId: id,
        measuredAt: Date.now(),
        values: p.vitals,
      });
    });
    ids.push(id);
  }
  return ids;
}

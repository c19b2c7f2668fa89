import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AnalyticsKey } from '../src/app/analytics/analytics-key.js';
import { packVitals } from '../src/app/analytics/vital-packing.js';
import { mrnOf } from '../src/contract/vocabulary/mrn.js';
import { withTransaction, type Db } from '../src/store/database.js';
import { insertVitalRecords, type VitalRecordRow } from '../src/store/analytics-repository.js';

/**
 * Loads `count` patients, each with one encrypted heart rate and age (packed into one ciphertext),
 * as the vitals sink stores them (ciphertext, age tag, record MAC, index rows), in batched transactions. To load 100,000 rows in seconds
 * it reuses a small set of obfuscators (each r^n costs milliseconds at 3072 bits) — fine for
 * timing the query, never done by the sink, which takes a fresh one per value. Patient rows
 * carry random bytes for their sealed fields (the query never opens them).
 * Returns the true sum of the heart rates.
 */
export async function loadEncryptedVitals(
  db: Db,
  key: AnalyticsKey,
  createdBy: string,
  count: number,
): Promise<number> {
  const pk = key.paillier.publicKey;
  const obfuscators = Array.from({ length: 32 }, () => key.paillier.obfuscator());
  let sum = 0;
  const batch = 1000;
  const measuredAt = Date.UTC(2025, 0, 1);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const patients: Array<{ id: string; hr: number; age: number }> = [];
    for (let i = 0; i < n; i++)
      patients.push({ id: randomUUID(), hr: 40 + randomInt(150), age: 18 + randomInt(80) });
    const rows: VitalRecordRow[] = [];
    for (const [i, p] of patients.entries()) {
      sum += p.hr;
      // One packed ciphertext per record, as the sink writes it (vital-packing.ts).
      const fields = {
        recordId: `${p.id}-r`,
        patientId: p.id,
        measuredAt,
        keyId: key.id,
        metrics: 'age,heartRate',
        ciphertext: pk.serialise(
          pk.encrypt(
            packVitals([
              ['heartRate', p.hr],
              ['age', p.age],
            ]),
            obfuscators[(start + i) % obfuscators.length],
          ),
        ),
        ageTag: key.tags.ageTag(p.age),
      };
      rows.push({ ...fields, mac: key.tags.recordMac(fields) });
    }
    await withTransaction(db, async (tx) => {
      const now = Date.now();
      await tx
        .insertInto('users')
        .values(
          patients.map((p) => ({
            id: p.id,
            role: 'patient',
            username: null,
            display_name: null,
            status: 'active',
            password_hash: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      await tx
        .insertInto('patients')
        .values(
          patients.map((p, i) => ({
            id: p.id,
            ssn_index: randomBytes(32),
            // Unique per bench patient (bodies 1000000… upward); never looked up.
            mrn: mrnOf(String(1_000_000 + start + i)),
            ssn_ct: randomBytes(8),
            name_ct: randomBytes(8),
            dob_ct: randomBytes(8),
            pin_hash: 'x',
            password_hash: 'x',
            recovery_hash: 'x',
            reset_hash: null,
            reset_expires_at: null,
            smoking_status: ['never', 'former', 'current', 'unknown'][i % 4]!,
            created_by: createdBy,
            created_at: now,
          })),
        )
        .execute();
      for (let i = 0; i < rows.length; i += 200) await insertVitalRecords(tx, rows.slice(i, i + 200));
    });
  }
  return sum;
}

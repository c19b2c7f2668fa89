import { IntegrityError } from '../../crypto/errors.js';
import { openWithDek } from '../../crypto/envelope.js';
import type { DbOrTx } from '../../store/database.js';
import { listPatientPrescriptions } from '../../store/prescription-repository.js';
import { listPatientRecordRows } from '../../store/record-repository.js';
import { covers, type PatientReach } from '../access/index.js';
import type { DataKeys } from '../data-keys.js';
import { AppError } from '../errors.js';
import { recordFieldContext, recordKeyContext } from '../records/record-crypto.js';
import type { CheckedMedicine, KnownAllergy } from './interaction-checks.js';
import { readPayload } from './views.js';

/** Allergy records read per check: far above any real patient's. */
const MAX_ALLERGIES = 500;

/** What the prescribing checks compare a new medicine with. */
export interface PatientMedication {
  /** The patient's allergy records (substance, severity); empty when none or not reachable. */
  readonly allergies: KnownAllergy[];
  /** False when the caller's reach does not cover allergy records (a grant limited to other types). */
  readonly allergiesChecked: boolean;
  /** Medicines of the patient's active prescriptions (fills left, unexpired). */
  readonly active: CheckedMedicine[];
}

/**
 * Reads, for the prescribing checks, a patient's allergy records (decrypted here, bodies only
 * used for substance and severity) and the medicines of their active prescriptions, within what
 * `reach` covers. An allergy record that fails its integrity check refuses the check (422)
 * rather than being skipped: a hidden allergy is the failure these checks exist to prevent.
 */
export async function patientMedication(
  deps: { readonly db: DbOrTx; readonly dataKeys: DataKeys },
  reach: PatientReach,
  now: number,
): Promise<PatientMedication> {
  const { db, dataKeys } = deps;
  const patientId = reach.patientId;
  const allergiesChecked = covers(reach, 'allergy');
  const allergies: KnownAllergy[] = [];
  if (allergiesChecked) {
    const rows = await listPatientRecordRows(db, patientId, {
      types: ['allergy'],
      before: undefined,
      limit: MAX_ALLERGIES,
    });
    for (const row of rows) {
      try {
        const dek = await dataKeys.dekFor(db, recordKeyContext(row.id, patientId));
        const sealed = JSON.parse(
          openWithDek(row.body_ct, recordFieldContext(row.id, patientId, 'body'), dek).toString('utf8'),
        ) as { body?: { substance?: unknown; severity?: unknown } };
        const { substance, severity } = sealed.body ?? {};
        if (typeof substance === 'string')
          allergies.push({ substance, severity: typeof severity === 'string' ? severity : 'unknown' });
      } catch (err) {
        if (err instanceof IntegrityError)
          throw new AppError(
            'integrity_failure',
            "One of this patient's allergy records fails its integrity check, so allergies cannot be checked.",
          );
        throw err;
      }
    }
  }
  const active: CheckedMedicine[] = [];
  for (const row of await listPatientPrescriptions(db, patientId)) {
    if (row.status !== 'active' || row.expiresAt <= now || row.fillsRemaining <= 0) continue;
    const payload = await readPayload(db, dataKeys, row);
    if (payload !== undefined)
      active.push({ name: payload.medicine.name, strength: payload.medicine.strength });
  }
  return { allergies, allergiesChecked, active };
}

import { MAX_WARNING_TEXT } from '../../contract/vocabulary/prescription-fields.js';
import { findMedicine } from '../../store/medicine-repository.js';
import { reachDetails, type AccessScope, type PatientReach } from '../access/index.js';
import { invalidInput } from '../errors.js';
import type { PrescriptionDeps } from './deps.js';
import { prescribingWarnings, type CheckedMedicine, type PrescribingWarning } from './interaction-checks.js';
import { withIngredients, type Medicine } from './medicines.js';
import { patientMedication } from './patient-medication.js';

export type { PrescribingWarning } from './interaction-checks.js';

/** What the prescribing checks found for one medicine and one patient. */
export interface PrescribingCheck {
  readonly medicine: Medicine;
  readonly warnings: PrescribingWarning[];
  /** False when the caller's access does not cover the patient's allergy records (not checked). */
  readonly allergiesChecked: boolean;
}

/** Messages fit the signed payload's bound (whole characters: no lone surrogate). */
export function fitWarning(w: PrescribingWarning): PrescribingWarning {
  const chars = Array.from(w.message);
  return chars.length <= MAX_WARNING_TEXT
    ? w
    : { ...w, message: `${chars.slice(0, MAX_WARNING_TEXT - 1).join('')}…` };
}

/**
 * The warnings for prescribing `medicine` to the reached patient now: their allergy records and
 * active prescriptions (src/app/prescriptions/interaction-checks.ts). Used by the check the
 * prescription form asks for and, again, by the submission, which refuses warnings without a
 * signed override reason.
 */
export async function warningsFor(
  deps: PrescriptionDeps,
  reach: PatientReach,
  medicine: CheckedMedicine,
): Promise<{ warnings: PrescribingWarning[]; allergiesChecked: boolean; allergies: number; active: number }> {
  const known = await patientMedication(deps, reach, deps.clock());
  return {
    warnings: prescribingWarnings(medicine, known.allergies, known.active).map(fitWarning),
    allergiesChecked: known.allergiesChecked,
    allergies: known.allergies.length,
    active: known.active.length,
  };
}

/**
 * Before signing: what prescribing this catalogue entry to this patient would warn about.
 * Doctors who may prescribe for the patient (write reach covering prescriptions). The read of
 * the patient's allergy records and prescriptions is a `record.read` ledger entry (counts only).
 */
export class PrescribingChecks {
  constructor(private readonly deps: PrescriptionDeps) {}

  /** @throws AppError forbidden, not_found, read_only_access, unknown_medicine (400). */
  async check(scope: AccessScope, patientId: string, medicineId: string): Promise<PrescribingCheck> {
    scope.require('prescriptions.sign');
    const { db, audit } = this.deps;
    const reach = await scope.patient(db, patientId, 'write', 'prescription');
    const row = await findMedicine(db, medicineId);
    if (row === undefined) throw invalidInput('medicineId must name a catalog entry.', 'unknown_medicine');
    const found = await warningsFor(this.deps, reach, { name: row.genericName, strength: row.strength });
    await audit.append(db, {
      actor: scope.actor,
      action: 'record.read',
      target: { type: 'patient_records', id: patientId },
      patientId,
      outcome: 'success',
      details: {
        via: 'prescribing_checks',
        allergies: found.allergies,
        activePrescriptions: found.active,
        warnings: found.warnings.length,
        ...reachDetails(reach, 'prescription'),
      },
    });
    return {
      medicine: withIngredients(row),
      warnings: found.warnings,
      allergiesChecked: found.allergiesChecked,
    };
  }
}

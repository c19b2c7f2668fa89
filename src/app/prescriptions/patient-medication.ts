import type { DbOrTx } from '../../store/database.js';
import { listPatientPrescriptions } from '../../store/prescription-repository.js';
import { covers, type PatientReach } from '../access/index.js';
import type { DataKeys } from '../data-keys.js';
import { readAllergies } from '../records/allergy-list.js';
import type { CheckedMedicine, KnownAllergy } from './interaction-checks.js';
import { openWithDek, type EnvelopeContext } from '../../crypto/envelope.js';
import { IntegrityError } from '../../crypto/errors.js';
import type { PrescriptionRow } from '../../store/prescription-repository.js';
import { payloadContext } from './deps.js';
import { sha256Hex } from './verifier.js';

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
 * `reach` covers (an allergy record that fails its integrity check refuses: allergy-list.ts).
 */
export async function patientMedication(
  deps: { readonly db: DbOrTx; readonly dataKeys: DataKeys },
  reach: PatientReach,
  now: number,
): Promise<PatientMedication> {
  const { db } = deps;
  const patientId = reach.patientId;
  const allergiesChecked = covers(reach, 'allergy');
  const allergies: KnownAllergy[] = allergiesChecked ? await readAllergies(deps, patientId) : [];
  const rows = (await listPatientPrescriptions(db, patientId)).filter(
    (row) => row.status === 'active' && row.expiresAt > now && row.fillsRemaining > 0,
  );
  // One query for every DEK: a patient may have a hundred active prescriptions.
  const contexts = rows.map((row) => payloadContext(row.id, row.patientId));
  const deks = await deps.dataKeys.deksFor(db, contexts);
  const active: CheckedMedicine[] = [];
  rows.forEach((row, i) => {
    const dek = deks[i];
    const ctx = contexts[i];
    if (!(dek instanceof Buffer) || ctx === undefined) return;
    const medicine = medicineOf(row, ctx, dek);
    if (medicine !== undefined) active.push(medicine);
  });
  return { allergies, allergiesChecked, active };
}

/**
 * The medicine a stored prescription names: its payload opened and its hash checked, then only
 * `medicine` read (no full schema and canonical-form check: a patient's every active prescription
 * is read at each submission, and a row that fails here is reported by the views and dispensing).
 */
function medicineOf(row: PrescriptionRow, ctx: EnvelopeContext, dek: Buffer): CheckedMedicine | undefined {
  try {
    const bytes = openWithDek(row.payloadCt, ctx, dek);
    if (sha256Hex(bytes) !== row.payloadSha256) return undefined;
    const parsed = JSON.parse(bytes.toString('utf8')) as {
      medicine?: { name?: unknown; strength?: unknown };
    };
    const { name, strength } = parsed.medicine ?? {};
    return typeof name === 'string' && typeof strength === 'string' ? { name, strength } : undefined;
  } catch (err) {
    if (err instanceof IntegrityError || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/**
 * The prescribing checks (issue 20, point 3): GET /patients/:id/prescribing-checks?medicineId=
 * answers the allergy and duplicate-therapy warnings prescribing a medicine to a patient would
 * raise. The server checks again at submission; a warning needs a signed override reason.
 */
import { api, type RouteOutput } from './client.js';

export type PrescribingCheck = RouteOutput<'prescribingChecks'>;
export type PrescribingWarning = PrescribingCheck['warnings'][number];
export type { Override } from '../../../src/contract/api/prescription-payload.js';
export {
  MAX_OVERRIDE_REASON,
  MAX_OVERRIDE_WARNINGS,
} from '../../../src/contract/vocabulary/prescription-fields.js';

export async function checkPrescribing(patientId: string, medicineId: string): Promise<PrescribingCheck> {
  return api.call('prescribingChecks', { params: { id: patientId }, query: { medicineId } });
}

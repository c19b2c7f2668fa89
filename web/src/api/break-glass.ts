/**
 * Break-glass (emergency access): POST /patients/:id/break-glass with a reason opens the
 * patient's records to this doctor for one hour, flagged in the ledger and in the patient's
 * access history. The reason's bounds are the contract's; the server checks them again.
 */
import { api, type RouteOutput } from './client.js';

export {
  MAX_BREAK_GLASS_REASON,
  MIN_BREAK_GLASS_REASON,
} from '../../../src/contract/vocabulary/break-glass.js';

/** Opens emergency access; resolves with when it ends (epoch ms). */
export async function openBreakGlass(patientId: string, reason: string): Promise<RouteOutput<'breakGlass'>> {
  return api.call('breakGlass', { params: { id: patientId }, body: { reason } });
}

/**
 * Break-glass (emergency access): POST /patients/:id/break-glass with a reason opens the
 * patient's records to this doctor for one hour, flagged in the ledger and in the patient's
 * access history. The server checks everything again; these limits only spare a round trip.
 */
import { apiPost, isRecord, segment } from './client.js';
import { malformed, timeOf } from './parse.js';

/** The server's bounds on the reason (src/app/sharing/break-glass.ts), in characters. */
export const REASON_MIN = 10;
export const REASON_MAX = 1000;

/** Opens emergency access; resolves with when it ends (epoch ms). */
export async function openBreakGlass(patientId: string, reason: string): Promise<{ expiresAt: number }> {
  const body = await apiPost(`/patients/${segment(patientId)}/break-glass`, { reason });
  const expiresAt = isRecord(body) ? timeOf(body.expiresAt) : undefined;
  if (expiresAt === undefined) throw malformed('break-glass answer');
  return { expiresAt };
}

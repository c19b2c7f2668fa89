import type { Actor } from '../actor.js';

/**
 * The patient an account's own ledger entries are about (sign-ins, second-factor changes): a
 * patient's own id, null for staff. Not an access decision: who the entry is about.
 */
export const selfPatientId = (actor: Actor): string | null =>
  actor.role === 'patient' ? actor.userId : null;

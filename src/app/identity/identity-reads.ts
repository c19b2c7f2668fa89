import type { DbOrTx } from '../../store/database.js';
import { reachDetails, type AccessScope, type DutyReach, type PatientReach } from '../access/index.js';
import type { AuditDetails, AuditEvent } from '../audit/entry.js';
import type { LedgerAppend } from '../audit/ledger-append.js';

/** How the reader reached one patient they were shown: a reach, or the details of one. */
export type ShownPatient = {
  readonly patientId: string;
} & ({ readonly reach: PatientReach | DutyReach } | { readonly details: AuditDetails });

/**
 * Ledgers that the caller was shown who patients are (issue 15, finding 6): name, date of birth,
 * SSN digits, care team. One entry per patient shown, each about that patient (so it is in their
 * access history), with how the caller reached them (`relation`, and the grant or break-glass);
 * `via` names the view. The entries of one answer are ONE append (one transaction, one head
 * update), so a page of 100 patients costs one ledger round, not 100.
 *
 * Called after the answer is built and before it is returned: when the ledger cannot be written,
 * the caller gets an error, never an unlogged answer.
 */
export async function ledgerIdentityReads(
  audit: LedgerAppend,
  db: DbOrTx,
  scope: AccessScope,
  action: 'patient.demographics_read' | 'patient.listed',
  via: string,
  shown: readonly ShownPatient[],
): Promise<void> {
  if (shown.length === 0) return;
  const events: AuditEvent[] = shown.map((p) => ({
    actor: scope.actor,
    action,
    target: { type: 'patient', id: p.patientId },
    patientId: p.patientId,
    outcome: 'success',
    details: { via, ...('reach' in p ? reachDetails(p.reach) : p.details) },
  }));
  if (events.length === 1) await audit.append(db, events[0]!);
  else await audit.appendMany(db, events);
}

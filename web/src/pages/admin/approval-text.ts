/** How the Approvals page names a request: its kind and whom it is about, in words. */
import type { ApprovalKind } from '../../../../src/contract/vocabulary/approvals.js';
import type { StaffUser } from '../../api/admin.js';
import { ROLE_LABELS } from '../../nav.js';

export const APPROVAL_KIND_LABELS: Readonly<Record<ApprovalKind, string>> = {
  'staff.activate': 'Activate a new staff account',
  'admin.create': 'Activate a new administrator',
  'staff.reenrol': 'Re-enrol a staff member',
  'budget.raise': 'Raise the privacy budget',
  'patient.reenrol': 'Re-enrol a patient',
  'mfa.policy': 'Change the second-factor policy',
};

/** A patient a request is about, as the registrar deciding it sees them (name and MRN). */
export interface RequestPatient {
  readonly fullName: string;
  readonly mrn: string;
}

/**
 * Whom a request is about: the staff account by name, username and role when the list of
 * accounts has it, the hospital for its privacy budget, else the id as the server gave it.
 */
export function subjectWords(
  kind: ApprovalKind,
  subjectId: string,
  users: readonly StaffUser[],
  patients: ReadonlyMap<string, RequestPatient> = new Map(),
): string {
  if (kind === 'budget.raise') return "The hospital's statistics";
  if (kind === 'mfa.policy') return 'Every account of one role';
  if (kind === 'patient.reenrol') {
    const patient = patients.get(subjectId);
    return patient === undefined ? `Patient ${subjectId}` : `${patient.fullName}, MRN ${patient.mrn}`;
  }
  const user = users.find((u) => u.id === subjectId);
  if (user === undefined) return `Account ${subjectId}`;
  const name = user.displayName ?? user.username;
  const username = name === user.username ? '' : ` (${user.username})`;
  return `${name}${username}, ${ROLE_LABELS[user.role].toLowerCase()}`;
}

import type { Role } from '../../src/contract/vocabulary/roles.js';
import type { PageRouteName } from './routes.js';

/**
 * Role-aware navigation: which pages each role sees (DESIGN.md "Roles"). This table only shapes
 * the UI; the server decides every access on its own, so hiding an item here is convenience,
 * never security.
 */

export type { Role } from '../../src/contract/vocabulary/roles.js';

export interface NavItem<R extends Role = Role> {
  /** The route it opens, e.g. "records" for `#/records` (routes.ts). Unique within a role. */
  readonly path: PageRouteName<R>;
  readonly label: string;
  /** One sentence on what the page will do, shown on its placeholder. */
  readonly summary: string;
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  patient: 'Patient',
  doctor: 'Doctor',
  pharmacist: 'Pharmacist',
  registrar: 'Registrar',
  admin: 'Administrator',
};

export const NAV: { readonly [R in Role]: readonly NavItem<R>[] } = {
  patient: [
    { path: 'dashboard', label: 'Dashboard', summary: 'Your MedVault at a glance.' },
    { path: 'records', label: 'My records', summary: 'Read your medical records.' },
    { path: 'sharing', label: 'Sharing', summary: 'Grant a doctor access to your records, and revoke it.' },
    { path: 'access-history', label: 'Access history', summary: 'See who opened your records, and when.' },
    {
      path: 'prescriptions',
      label: 'Prescriptions',
      summary: 'Your prescriptions and whether they were dispensed.',
    },
    {
      path: 'account',
      label: 'Account',
      summary: 'Change your password or PIN, a new recovery code, second factors, where you are signed in.',
    },
  ],
  doctor: [
    { path: 'patients', label: 'My patients', summary: 'Patients in your care or who shared their records.' },
    { path: 'search', label: 'Search', summary: 'Find records by diagnosis keyword.' },
    { path: 'new-record', label: 'New record', summary: 'Write an encrypted record for a patient.' },
    { path: 'prescribe', label: 'Prescribe', summary: 'Sign a prescription with your private key.' },
    {
      path: 'emergency-access',
      label: 'Emergency access',
      summary: "Break-glass: open a patient's records for one hour, with a reason the patient sees.",
    },
    {
      path: 'account',
      label: 'Account',
      summary: 'Your second factors: an authenticator app or a passkey, asked at sign-in after your key.',
    },
  ],
  pharmacist: [
    {
      path: 'prescription-queue',
      label: 'Prescription queue',
      summary: 'Verify signed prescriptions and dispense them.',
    },
    {
      path: 'account',
      label: 'Account',
      summary: 'Your second factors: an authenticator app or a passkey, asked at sign-in after your key.',
    },
  ],
  registrar: [
    { path: 'register-patient', label: 'Register patient', summary: 'Register a new patient.' },
    { path: 'care-teams', label: 'Care teams', summary: 'Assign doctors to patients.' },
    {
      path: 'approvals',
      label: 'Approvals',
      summary:
        "Approve or refuse a patient's re-enrolment another registrar asked for (the two-person rule).",
    },
    {
      path: 'account',
      label: 'Account',
      summary: 'Your second factors: an authenticator app or a passkey, asked at sign-in after your key.',
    },
  ],
  admin: [
    { path: 'users', label: 'Users & keys', summary: 'Manage staff accounts and their public keys.' },
    {
      path: 'approvals',
      label: 'Approvals',
      summary: 'Approve or refuse what another administrator asked for (the two-person rule).',
    },
    { path: 'audit', label: 'Audit ledger', summary: 'Read and verify the tamper-evident audit ledger.' },
    {
      path: 'statistics',
      label: 'Statistics',
      summary: 'Run differentially private statistics within budget.',
    },
    {
      path: 'account',
      label: 'Account',
      summary: 'Your second factors: an authenticator app or a passkey, asked at sign-in after your key.',
    },
  ],
};

/** The navigation item a route belongs to (its first path segment), or the role's first. */
export function navItemOf<R extends Role>(role: R, section: string): NavItem<R> {
  const items: readonly NavItem<R>[] = NAV[role];
  const found = items.find((item) => item.path === section) ?? items[0];
  if (!found) throw new Error(`role ${role} has no navigation items`);
  return found;
}

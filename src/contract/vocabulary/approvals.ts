/**
 * The two-person rule's vocabulary (DESIGN.md principle 7): what a request may ask for, and the
 * states it passes through. A request is decided once, by a person other than its requester.
 */
export const APPROVAL_KINDS = [
  /** Activate a new staff account (not an admin). */
  'staff.activate',
  /** Activate a new admin account. */
  'admin.create',
  /** Re-enrol a staff member: their keys and password go, a new invite code comes. */
  'staff.reenrol',
  /** Raise the hospital's privacy budget for the current window. */
  'budget.raise',
  /** Re-enrol a patient who lost PIN, password and recovery code: a new enrolment code. */
  'patient.reenrol',
  /** Change the hospital's second-factor policy for one role. */
  'mfa.policy',
] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/**
 * Each kind in words, for a list of requests (the Approvals page): what it is and who decides it.
 * The request's own `summary` says what approving this one does.
 */
export const APPROVAL_KIND_DESCRIPTIONS: Readonly<Record<ApprovalKind, string>> = {
  'staff.activate': 'Activate a new staff account (decided by another admin).',
  'admin.create': 'Activate a new administrator account (decided by another admin).',
  'staff.reenrol':
    'Re-enrol a staff member who lost their key and password: keys, password, second factors and sessions revoked, a new invite code for the approver to hand over (decided by another admin).',
  'budget.raise': "Raise the hospital's privacy budget for the current window (decided by another admin).",
  'patient.reenrol':
    'Re-enrol a patient who lost PIN, password and recovery code: those, their passkeys, authenticator apps and sessions removed, a new enrolment code for the approver to hand to the patient in person (decided by another registrar).',
  'mfa.policy': 'Change the second-factor policy of one role (decided by another admin).',
};

export const APPROVAL_STATUSES = ['pending', 'approved', 'refused', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** How long a request waits for its second person: three days. */
export const APPROVAL_TTL_MS = 3 * 24 * 60 * 60 * 1000;

/** How long a staff invite code may be used: three days, once. */
export const INVITE_TTL_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * A staff invite code as typed: 25 Crockford base32 characters (125 bits) in five groups of five,
 * dashes and spaces optional, any case.
 */
export const INVITE_CODE_PATTERN = '^[0-9A-Za-z][0-9A-Za-z -]{23,40}[0-9A-Za-z]$';

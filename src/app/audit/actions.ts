/**
 * The closed vocabulary of the audit ledger. A name outside these lists is refused at append,
 * so a typo in a service cannot write an entry that no filter, report or patient view will find.
 * Adding a name is a code change, reviewed like any other.
 */
export const AUDIT_ACTIONS = [
  'login.success',
  'login.failure',
  'account.locked',
  'logout',
  'session.revoked',
  'pin.recover',
  'pin.reset',
  'password.change',
  'user.create',
  'user.disable',
  'key.register',
  'key.revoke',
  'patient.register',
  'careteam.assign',
  'record.create',
  'record.read',
  'record.integrity_failure',
  'attachment.create',
  'attachment.read',
  'search.hit',
  'grant.create',
  'grant.revoke',
  'break_glass',
  'prescription.sign',
  'prescription.dispense',
  'prescription.refused',
  'keys.rotate',
  'analytics.query',
  'audit.checkpoint',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How the action ended: done, attempted and failed (bad password), or refused by policy. */
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);
const OUTCOMES: ReadonlySet<string> = new Set(AUDIT_OUTCOMES);

export const isAuditAction = (value: unknown): value is AuditAction =>
  typeof value === 'string' && ACTIONS.has(value);

export const isAuditOutcome = (value: unknown): value is AuditOutcome =>
  typeof value === 'string' && OUTCOMES.has(value);

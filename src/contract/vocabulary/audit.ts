/**
 * Why a ledger verification failed at an entry (docs/architecture.md, "Verification"): the
 * verifier names the first failing sequence number and one of these kinds.
 */
export const VERIFY_FAILURE_KINDS = [
  'content_changed',
  'deleted',
  'inserted',
  'reordered',
  'truncated',
  'checkpoint_mismatch',
  'node_mismatch',
] as const;
export type VerifyFailureKind = (typeof VERIFY_FAILURE_KINDS)[number];

/** The format tag of inclusion and consistency proof documents. */
export const PROOF_FORMAT = 'medvault-audit-proof/v1';

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
  'user.activate',
  'user.enrol',
  'user.reenrol',
  'approval.request',
  'approval.approve',
  'approval.refuse',
  'analytics.budget_raise',
  'mfa.policy_change',
  'notice.dismiss',
  'factor.add',
  'factor.remove',
  'login.factor_pending',
  'patient.register',
  'patient.enrol',
  'enrolment.issue',
  'patient.reenrol',
  'pin.change',
  'recovery_code.renew',
  'sessions.end_others',
  'patient.demographics_read',
  'patient.listed',
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
  'break_glass.lookup',
  'prescription.sign',
  'prescription.dispense',
  'prescription.refused',
  'keys.rotate',
  'keys.split',
  'keys.unseal',
  'keys.reseal',
  'keys.handover',
  'backup.create',
  'backup.restore',
  'store.migrate',
  'search.reindex',
  'analytics.query',
  'audit.checkpoint',
  'audit.export',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How the action ended: done, attempted and failed (bad password), or refused by policy. */
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * The widest UTC offset accepted, in minutes either way (those in use lie from −12:00 to +14:00):
 * the patient's access history groups entries by the reader's day (`utcOffset` of its route).
 */
export const MAX_UTC_OFFSET_MINUTES = 14 * 60;

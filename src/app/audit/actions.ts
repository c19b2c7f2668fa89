import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  type AuditAction,
  type AuditOutcome,
} from '../../contract/vocabulary/audit.js';

/** The ledger's closed vocabulary lives in the contract (the admin's filter names the same actions). */
export { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome };

const ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);
const OUTCOMES: ReadonlySet<string> = new Set(AUDIT_OUTCOMES);

export const isAuditAction = (value: unknown): value is AuditAction =>
  typeof value === 'string' && ACTIONS.has(value);

export const isAuditOutcome = (value: unknown): value is AuditOutcome =>
  typeof value === 'string' && OUTCOMES.has(value);

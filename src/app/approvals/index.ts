/** The two-person rule: requests, their one decision by another person, and each kind's effect. */
export {
  Approvals,
  payloadField,
  type ApprovalDecision,
  type ApprovalView,
  type ApprovalsDeps,
  type NewApproval,
} from './approvals.js';
export type { ApprovalHandler, ApprovalKind, ApprovalOutcome } from './approval-kind.js';

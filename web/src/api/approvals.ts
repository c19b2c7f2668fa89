/**
 * The two-person rule: requests waiting for a second person, approve, refuse, and what an admin
 * may ask for (a second-factor policy, a budget raise).
 * A decision may answer a one-time value (a re-enrolment's new invite code). Shapes from the
 * contract (src/contract/api/approvals.ts).
 */
import type { Role } from '../../../src/contract/vocabulary/roles.js';
import type { SecondFactorPolicy } from '../../../src/contract/vocabulary/second-factors.js';
import { api, type RouteOutput } from './client.js';

export type Approval = RouteOutput<'listApprovals'>['approvals'][number];
export type ApprovalDecision = RouteOutput<'approveRequest'>;
export type StaffInvite = NonNullable<ApprovalDecision['invite']>;

export async function listApprovals(): Promise<Approval[]> {
  return (await api.call('listApprovals')).approvals;
}

export async function approveRequest(id: string): Promise<ApprovalDecision> {
  return api.call('approveRequest', { params: { id } });
}

export async function refuseRequest(id: string): Promise<ApprovalDecision> {
  return api.call('refuseRequest', { params: { id } });
}

export type FactorPolicies = RouteOutput<'factorPolicy'>;

/** The second-factor policy in force per role, with the configured defaults. */
export async function getFactorPolicies(): Promise<FactorPolicies> {
  return api.call('factorPolicy');
}

/** Asks a second administrator to set one role's second-factor policy. */
export async function askFactorPolicy(role: Role, policy: SecondFactorPolicy): Promise<Approval> {
  return api.call('requestFactorPolicy', { body: { role, policy } });
}

/** Asks a second administrator to add `epsilon` to this window's privacy budget. */
export async function askBudgetRaise(epsilon: number): Promise<Approval> {
  return api.call('requestBudgetRaise', { body: { epsilon } });
}

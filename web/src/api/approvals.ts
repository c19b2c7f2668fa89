/**
 * The two-person rule (admin only): requests waiting for a second person, approve, refuse.
 * A decision may answer a one-time value (a re-enrolment's new invite code). Shapes from the
 * contract (src/contract/api/approvals.ts).
 */
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

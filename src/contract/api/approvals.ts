import { Type, type Static } from '@sinclair/typebox';
import { APPROVAL_KINDS, APPROVAL_STATUSES } from '../vocabulary/approvals.js';
import { closed, EpochMs, IdParams, Nullable } from './common.js';
import { StaffInvite } from './admin-users.js';
import { route } from './route.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const ApprovalKindField = literals(APPROVAL_KINDS);

export const Approval = Type.Object(
  {
    id: Type.String(),
    kind: ApprovalKindField,
    subjectId: Type.String({ description: 'What it is about: a user id, or "hospital" for the budget.' }),
    summary: Type.String({ description: 'What approving does, in words (no secret).' }),
    requestedBy: Type.String(),
    requestedByName: Nullable(Type.String()),
    status: literals(APPROVAL_STATUSES),
    createdAt: EpochMs(),
    expiresAt: EpochMs(),
    decidedBy: Nullable(Type.String()),
    decidedAt: Nullable(EpochMs()),
  },
  { ...closed, title: 'Approval' },
);
export type Approval = Static<typeof Approval>;

export const ApprovalDecision = Type.Object(
  {
    approval: Approval,
    invite: Type.Optional(StaffInvite),
    enrolment: Type.Optional(
      Type.Object(
        {
          enrolmentCode: Type.String({
            description: 'One-time, shown once, to the approver only: hand it to the patient in person.',
          }),
          expiresAt: EpochMs(),
        },
        closed,
      ),
    ),
  },
  {
    ...closed,
    description:
      "A staff re-enrolment's approval answers the new invite code, a patient re-enrolment's the new enrolment code: to the approver, this once.",
  },
);

export const BudgetRaiseRequest = Type.Object(
  {
    epsilon: Type.Number({
      exclusiveMinimum: 0,
      maximum: 100,
      description: 'How much epsilon to add to the hospital budget for the current window.',
    }),
  },
  closed,
);

const tags = ['approvals'];

/** The two-person rule: requests that wait for a second admin (src/app/approvals). */
export const approvalRoutes = {
  listApprovals: route({
    method: 'GET',
    path: '/api/v1/approvals',
    tags,
    summary: 'Requests waiting for a second person (pending, not expired), newest first.',
    ok: { 200: Type.Object({ approvals: Type.Array(Approval) }, closed) },
    errors: [401, 403],
  }),
  approveRequest: route({
    method: 'POST',
    path: '/api/v1/approvals/:id/approve',
    tags,
    summary: 'Approve a request someone else made; its effect happens in the same transaction.',
    params: IdParams,
    ok: { 200: ApprovalDecision },
    errors: [401, 403, 404, 409],
  }),
  refuseRequest: route({
    method: 'POST',
    path: '/api/v1/approvals/:id/refuse',
    tags,
    summary: 'Refuse a request someone else made: nothing happens, the refusal is ledgered.',
    params: IdParams,
    ok: { 200: ApprovalDecision },
    errors: [401, 403, 404, 409],
  }),
  requestBudgetRaise: route({
    method: 'POST',
    path: '/api/v1/approvals/budget-raise',
    tags,
    summary: "Ask to raise the hospital's privacy budget for the current window; a second admin approves.",
    body: BudgetRaiseRequest,
    ok: { 201: Approval },
    errors: [401, 403, 409],
  }),
} as const;

import { Type } from '@sinclair/typebox';
import { ROLES } from '../vocabulary/roles.js';
import { SECOND_FACTOR_POLICIES } from '../vocabulary/second-factors.js';
import { Approval } from './approvals.js';
import { closed, EpochMs, IdParams, NoContent, Nullable } from './common.js';
import { route } from './route.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const RoleField = literals(ROLES);
const PolicyField = literals(SECOND_FACTOR_POLICIES);
export const FactorPolicyView = Type.Object(
  {
    roles: Type.Array(
      Type.Object(
        {
          role: RoleField,
          policy: PolicyField,
          default: PolicyField,
          changed: Type.Boolean({
            description: 'Whether an approved request set it (else the default applies).',
          }),
        },
        closed,
      ),
    ),
  },
  { ...closed, title: 'SecondFactorPolicy' },
);

export const FactorPolicyRequest = Type.Object({ role: RoleField, policy: PolicyField }, closed);

export const AccountNotice = Type.Object(
  {
    id: Type.String(),
    kind: Type.Literal('reenrolled'),
    occurredAt: EpochMs(),
    requestedByName: Nullable(Type.String()),
    text: Type.String({ description: 'The sentence to show (date in UTC).' }),
  },
  { ...closed, title: 'AccountNotice' },
);

/**
 * Issue 14's two-person actions on patients and on the MFA policy, and the notices people are
 * shown at their next sign-in after a re-enrolment. Deciding the requests is `approveRequest`.
 */
export const reenrolmentRoutes = {
  requestPatientReenrolment: route({
    method: 'POST',
    path: '/api/v1/patients/:id/reenrol',
    tags: ['patients'],
    summary:
      'A registrar asks to re-enrol a patient who lost PIN, password and recovery code; another registrar approves and receives the new enrolment code.',
    params: IdParams,
    ok: { 201: Approval },
    errors: [401, 403, 404, 409],
  }),
  patientReenrolment: route({
    method: 'GET',
    path: '/api/v1/patients/:id/reenrol',
    tags: ['patients'],
    summary: "The newest re-enrolment request about a patient (any state), or null: the registrar's page.",
    params: IdParams,
    ok: { 200: Type.Object({ request: Nullable(Approval) }, closed) },
    errors: [401, 403, 404],
  }),
  factorPolicy: route({
    method: 'GET',
    path: '/api/v1/admin/second-factor-policy',
    tags: ['admin'],
    summary: 'The second-factor policy in force per role, and the configured defaults.',
    ok: { 200: FactorPolicyView },
    errors: [401, 403],
  }),
  requestFactorPolicy: route({
    method: 'POST',
    path: '/api/v1/approvals/mfa-policy',
    tags: ['approvals'],
    summary: "Ask to change one role's second-factor policy; a second admin approves.",
    body: FactorPolicyRequest,
    ok: { 201: Approval },
    errors: [401, 403, 409],
  }),
  myNotices: route({
    method: 'GET',
    path: '/api/v1/me/notices',
    tags: ['account'],
    summary: 'What the signed-in user must be told (their account was re-enrolled), until dismissed.',
    ok: { 200: Type.Object({ notices: Type.Array(AccountNotice) }, closed) },
    errors: [401],
  }),
  dismissNotice: route({
    method: 'POST',
    path: '/api/v1/me/notices/:id/dismiss',
    tags: ['account'],
    summary: "Dismisses one of the user's own notices.",
    params: IdParams,
    ok: { 204: NoContent('Dismissed.') },
    errors: [401, 404],
  }),
} as const;

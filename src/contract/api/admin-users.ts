import { Type, type Static } from '@sinclair/typebox';
import { MAX_DISPLAY_NAME_LENGTH } from '../vocabulary/credentials.js';
import { STAFF_ROLES } from '../vocabulary/roles.js';
import { SIGNATURE_ALGORITHMS } from '../vocabulary/signing.js';
import { closed, EpochMs, NoContent, Nullable } from './common.js';
import { route } from './route.js';

/** Largest public key text accepted (an 8192-bit RSA SPKI PEM is under 1.5 KiB). */
export const MAX_PEM = 16 * 1024;

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const StaffRoleField = literals(STAFF_ROLES);
export const SignatureAlgorithmField = literals(SIGNATURE_ALGORITHMS);

export const StaffKey = Type.Object(
  {
    keyId: Type.String(),
    algorithm: SignatureAlgorithmField,
    createdAt: EpochMs(),
    revokedAt: Nullable(EpochMs()),
  },
  { ...closed, title: 'StaffKey' },
);

export const StaffUser = Type.Object(
  {
    id: Type.String(),
    role: StaffRoleField,
    username: Type.String(),
    displayName: Nullable(Type.String()),
    status: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('disabled')], {
      description: 'pending: waits for a second admin to approve it (two-person rule).',
    }),
    enrolled: Type.Boolean({ description: 'The holder has chosen a password and registered a key.' }),
    createdAt: EpochMs(),
    keys: Type.Array(StaffKey),
  },
  { ...closed, title: 'StaffUser' },
);
export type StaffUser = Static<typeof StaffUser>;

export const CreateStaffRequest = Type.Object(
  {
    role: StaffRoleField,
    username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-z0-9._@-]{3,64}$' }),
    displayName: Type.String({ minLength: 1, maxLength: MAX_DISPLAY_NAME_LENGTH }),
  },
  {
    ...closed,
    description:
      'No password and no key: the holder chooses them when enrolling with the invite code, and a second admin activates the account.',
  },
);
export type CreateStaffRequest = Static<typeof CreateStaffRequest>;

/** A one-time invite code, handed to the staff member; shown this once, stored only as a keyed verifier. */
export const StaffInvite = Type.Object(
  {
    code: Type.String({
      description: '25 Crockford base32 characters in five groups (125 bits); single use.',
    }),
    expiresAt: EpochMs(),
  },
  { ...closed, title: 'StaffInvite' },
);

export const CreatedStaff = Type.Object(
  {
    user: StaffUser,
    invite: StaffInvite,
    approvalId: Type.String({ description: 'The request a second admin approves to activate the account.' }),
  },
  closed,
);

const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, closed);
const KeyParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), keyId: Type.String({ minLength: 1, maxLength: 64 }) },
  closed,
);
export const ReenrolRequested = Type.Object(
  {
    approvalId: Type.String({
      description: 'A second admin approves it; the approval answers the new invite code.',
    }),
  },
  closed,
);

const tags = ['admin'];

/** Staff account administration (admins; StaffAccounts decides and writes the ledger). */
export const adminUserRoutes = {
  createStaffUser: route({
    method: 'POST',
    path: '/api/v1/admin/users',
    tags,
    summary:
      'Create a staff account (no password, no key) with a one-time invite code; a second admin activates it.',
    body: CreateStaffRequest,
    ok: { 201: CreatedStaff },
    errors: [401, 403, 409],
  }),
  listStaffUsers: route({
    method: 'GET',
    path: '/api/v1/admin/users',
    tags,
    summary: 'Every staff account with its keys.',
    ok: { 200: Type.Object({ users: Type.Array(StaffUser) }, closed) },
    errors: [401, 403],
  }),
  disableStaffUser: route({
    method: 'POST',
    path: '/api/v1/admin/users/:id/disable',
    tags,
    summary: 'Disable an account; its sessions end at once.',
    params: UserParams,
    ok: { 200: StaffUser },
    errors: [401, 403, 404, 409],
  }),
  requestStaffReenrol: route({
    method: 'POST',
    path: '/api/v1/admin/users/:id/reenrol',
    tags,
    summary: 'Ask for a re-enrolment (lost key and password); a second admin must approve it.',
    params: UserParams,
    ok: { 201: ReenrolRequested },
    errors: [401, 403, 404, 409],
  }),
  revokeStaffKey: route({
    method: 'DELETE',
    path: '/api/v1/admin/users/:id/keys/:keyId',
    tags,
    summary: 'Revoke a key: it no longer signs a login; its record stays.',
    params: KeyParams,
    ok: { 204: NoContent('Revoked.') },
    errors: [401, 403, 404],
  }),
} as const;

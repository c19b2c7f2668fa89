import { Type, type Static } from '@sinclair/typebox';
import { KEY_TYPES, MAX_DISPLAY_NAME_LENGTH } from '../vocabulary/credentials.js';
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
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
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
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    publicKeyPem: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PEM, description: 'SPKI PEM.' })),
    generateKey: Type.Optional(
      Type.Union(
        KEY_TYPES.map((k) => Type.Literal(k)),
        { description: 'Make a key pair here instead; the private key is returned once, never stored.' },
      ),
    ),
  },
  { ...closed, description: 'Exactly one of publicKeyPem and generateKey.' },
);
export type CreateStaffRequest = Static<typeof CreateStaffRequest>;

export const CreatedStaff = Type.Object(
  {
    user: StaffUser,
    keyId: Type.String(),
    privateKeyPem: Type.Optional(Type.String({ description: 'PKCS#8 PEM; shown this once only.' })),
  },
  closed,
);

const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, closed);
const KeyParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), keyId: Type.String({ minLength: 1, maxLength: 64 }) },
  closed,
);
export const RegisterKeyRequest = Type.Object(
  { publicKeyPem: Type.String({ minLength: 1, maxLength: MAX_PEM, description: 'SPKI PEM.' }) },
  closed,
);
export const RegisteredKey = Type.Object(
  { keyId: Type.String(), algorithm: SignatureAlgorithmField },
  closed,
);

const tags = ['admin'];

/** Staff account administration (admins; StaffAccounts decides and writes the ledger). */
export const adminUserRoutes = {
  createStaffUser: route({
    method: 'POST',
    path: '/api/v1/admin/users',
    tags,
    summary: 'Create a staff account with its first key.',
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
  registerStaffKey: route({
    method: 'POST',
    path: '/api/v1/admin/users/:id/keys',
    tags,
    summary: 'Register another public key (RSA 2048+ or Ed25519, SPKI PEM) for an account.',
    params: UserParams,
    body: RegisterKeyRequest,
    ok: { 201: RegisteredKey },
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

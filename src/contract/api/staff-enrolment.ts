import { Type, type Static } from '@sinclair/typebox';
import { INVITE_CODE_PATTERN } from '../vocabulary/approvals.js';
import { MAX_PASSWORD_LENGTH } from '../vocabulary/credentials.js';
import { MAX_PEM, SignatureAlgorithmField, StaffRoleField } from './admin-users.js';
import { closed } from './common.js';
import { route } from './route.js';

const PublicKeyPem = Type.String({ minLength: 1, maxLength: MAX_PEM, description: 'SPKI PEM.' });

export const StaffEnrolRequest = Type.Object(
  {
    inviteCode: Type.String({ minLength: 25, maxLength: 64, pattern: INVITE_CODE_PATTERN }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH * 4 }),
    publicKeyPem: PublicKeyPem,
  },
  {
    ...closed,
    description:
      'The holder chooses the password and sends only the public half of a key pair made in the browser or the CLI.',
  },
);
export type StaffEnrolRequest = Static<typeof StaffEnrolRequest>;

export const StaffEnrolled = Type.Object(
  {
    userId: Type.String(),
    username: Type.String(),
    role: StaffRoleField,
    keyId: Type.String(),
    algorithm: SignatureAlgorithmField,
    active: Type.Boolean({ description: 'False until a second admin has approved the account.' }),
  },
  closed,
);

export const AddOwnKeyRequest = Type.Object(
  {
    publicKeyPem: PublicKeyPem,
    signedBy: Type.String({ minLength: 1, maxLength: 64, description: 'Key id of a current key of yours.' }),
    signature: Type.String({
      minLength: 1,
      maxLength: 2048,
      description:
        "Standard base64 signature by that key over the key-add message (src/contract/signing: 'MedVault staff key add v1', your username, the new key's SPKI DER in base64).",
    }),
    revokeSigner: Type.Optional(
      Type.Boolean({ description: 'Rotate: revoke the signing key once the new one is in.' }),
    ),
  },
  closed,
);
export type AddOwnKeyRequest = Static<typeof AddOwnKeyRequest>;

export const OwnKeyAdded = Type.Object({ keyId: Type.String(), algorithm: SignatureAlgorithmField }, closed);

/** Staff enrolment with an invite code, and the holder's own keys (src/app/identity/staff-enrolment.ts). */
export const staffEnrolmentRoutes = {
  enrolStaff: route({
    method: 'POST',
    path: '/api/v1/auth/staff/enrol',
    tags: ['auth'],
    summary: 'Enrol with a one-time invite code: choose the password, register the public key.',
    body: StaffEnrolRequest,
    ok: { 201: StaffEnrolled },
    errors: [401, 409, 429],
  }),
  addOwnKey: route({
    method: 'POST',
    path: '/api/v1/me/keys',
    tags: ['auth'],
    summary: 'Add (or rotate to) a key of your own, vouched for by a signature of a current key.',
    body: AddOwnKeyRequest,
    ok: { 201: OwnKeyAdded },
    errors: [401, 403, 409],
  }),
} as const;

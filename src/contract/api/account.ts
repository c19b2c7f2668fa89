import { Type } from '@sinclair/typebox';
import { PasswordField, PinField } from './auth.js';
import { closed, EpochMs, NoContent } from './common.js';
import { route } from './route.js';

/**
 * A signed-in patient's own account (issue 14): credential changes proven with both current
 * secrets, a new recovery code, their sessions. Each change is a ledger entry in their access
 * history; a wrong current secret is 403 `credentials_mismatch` and counts toward the lockout.
 */
export const PasswordChangeRequest = Type.Object(
  { currentPassword: PasswordField, pin: PinField, newPassword: PasswordField },
  closed,
);
export const PinChangeRequest = Type.Object(
  { currentPin: PinField, password: PasswordField, newPin: PinField },
  closed,
);
export const CredentialProofRequest = Type.Object({ pin: PinField, password: PasswordField }, closed);
export const RecoveryCodeAnswer = Type.Object(
  {
    recoveryCode: Type.String({
      description: 'The NEW recovery code, shown once; the old one no longer works.',
    }),
  },
  closed,
);

export const OwnSession = Type.Object(
  {
    id: Type.String({ description: 'Names the session (a prefix of its token hash); opens nothing.' }),
    createdAt: EpochMs(),
    lastSeenAt: EpochMs(),
    expiresAt: EpochMs(),
    current: Type.Boolean({ description: 'The session this request came with.' }),
  },
  { ...closed, title: 'OwnSession' },
);
export const OwnSessions = Type.Object({ sessions: Type.Array(OwnSession) }, closed);
export const SessionsEnded = Type.Object({ ended: Type.Integer({ minimum: 0 }) }, closed);

const tags = ['account'];

export const accountRoutes = {
  changePassword: route({
    method: 'POST',
    path: '/api/v1/account/password',
    tags,
    summary: 'Patient: a new password, proven with the current password and PIN; ends your other sessions.',
    body: PasswordChangeRequest,
    ok: { 204: NoContent('Password changed.') },
    errors: [401, 403, 409, 429],
  }),
  changePin: route({
    method: 'POST',
    path: '/api/v1/account/pin',
    tags,
    summary: 'Patient: a new PIN, proven with the current PIN and password; ends your other sessions.',
    body: PinChangeRequest,
    ok: { 204: NoContent('PIN changed.') },
    errors: [401, 403, 409, 429],
  }),
  renewRecoveryCode: route({
    method: 'POST',
    path: '/api/v1/account/recovery-code',
    tags,
    summary:
      'Patient: a new recovery code (shown once), proven with PIN and password; the old one stops working.',
    body: CredentialProofRequest,
    ok: { 200: RecoveryCodeAnswer },
    errors: [401, 403, 409, 429],
  }),
  listOwnSessions: route({
    method: 'GET',
    path: '/api/v1/account/sessions',
    tags,
    summary: 'Patient: your open sessions, newest first.',
    ok: { 200: OwnSessions },
    errors: [401, 403],
  }),
  endOtherSessions: route({
    method: 'POST',
    path: '/api/v1/account/sessions/end-others',
    tags,
    summary: 'Patient: signs out every session but this one.',
    ok: { 200: SessionsEnded },
    errors: [401, 403],
  }),
} as const;

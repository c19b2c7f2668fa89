import { Type } from '@sinclair/typebox';
import { SECOND_FACTOR_KINDS, SECOND_FACTOR_POLICIES } from '../vocabulary/second-factors.js';
import { LoginAnswer } from './auth.js';
import { closed, EpochMs, IdField, IdParams, NoContent, Nullable } from './common.js';
import { route } from './route.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const PendingToken = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' });
const TotpCode = Type.String({
  pattern: '^[0-9]{6}$',
  minLength: 6,
  maxLength: 6,
  description: 'The 6-digit code the authenticator app shows now.',
});
const Label = Type.String({ minLength: 1, maxLength: 64 });
const B64Url = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]*={0,2}$' });

export const FactorView = Type.Object(
  {
    id: Type.String(),
    kind: literals(SECOND_FACTOR_KINDS),
    label: Type.String(),
    createdAt: EpochMs(),
    lastUsedAt: Nullable(EpochMs()),
  },
  { ...closed, title: 'SecondFactor' },
);
export const FactorList = Type.Object(
  { policy: literals(SECOND_FACTOR_POLICIES), factors: Type.Array(FactorView) },
  closed,
);
export const TotpSetup = Type.Object(
  {
    factorId: Type.String(),
    secret: Type.String({ description: 'Base32 (RFC 4648), shown once.' }),
    uri: Type.String({ description: 'otpauth://totp/… for a QR code, shown once.' }),
  },
  closed,
);

/** WebAuthn options for navigator.credentials (the JSON form @simplewebauthn/browser takes). */
export const WebAuthnOptions = Type.Object(
  { options: Type.Object({ challenge: Type.String() }, { additionalProperties: true }) },
  closed,
);

const Extensions = Type.Object({}, { additionalProperties: true, maxProperties: 16 });
const Transports = Type.Array(
  literals(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const),
  { maxItems: 8 },
);
const Attachment = literals(['platform', 'cross-platform'] as const);

/** A browser's answer to navigator.credentials.create (RegistrationResponseJSON). */
export const PasskeyRegistration = Type.Object(
  {
    id: B64Url(1024),
    rawId: B64Url(1024),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: B64Url(8192),
        attestationObject: B64Url(16384),
        authenticatorData: Type.Optional(B64Url(16384)),
        transports: Type.Optional(Transports),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(B64Url(4096)),
      },
      closed,
    ),
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: Extensions,
  },
  closed,
);

/** A browser's answer to navigator.credentials.get (AuthenticationResponseJSON). */
export const PasskeyAssertion = Type.Object(
  {
    id: B64Url(1024),
    rawId: B64Url(1024),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: B64Url(8192),
        authenticatorData: B64Url(16384),
        signature: B64Url(2048),
        userHandle: Type.Optional(Type.String({ maxLength: 1024 })),
      },
      closed,
    ),
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: Extensions,
  },
  closed,
);

const tags = ['auth'];

/**
 * Second factors (issue 14): the signed-in user's own (the account page's Security section),
 * and the second step of a sign-in (a login answered 202 with a pending token).
 */
export const secondFactorRoutes = {
  listFactors: route({
    method: 'GET',
    path: '/api/v1/auth/factors',
    tags,
    summary: "The caller's own second factors and their role's policy.",
    ok: { 200: FactorList },
    errors: [401],
  }),
  beginTotp: route({
    method: 'POST',
    path: '/api/v1/auth/factors/totp',
    tags,
    summary: 'Start adding an authenticator app: a new secret, shown once; confirm it with a first code.',
    body: Type.Object({ label: Type.Optional(Label) }, closed),
    ok: { 201: TotpSetup },
    errors: [401, 403],
  }),
  confirmTotp: route({
    method: 'POST',
    path: '/api/v1/auth/factors/totp/:id/confirm',
    tags,
    summary: 'Confirm an authenticator app with its first code; sign-ins ask for a code from now on.',
    params: IdParams,
    body: Type.Object({ code: TotpCode }, closed),
    ok: { 200: FactorView },
    errors: [400, 401, 403, 404],
  }),
  passkeyRegistrationOptions: route({
    method: 'POST',
    path: '/api/v1/auth/factors/passkey/options',
    tags,
    summary: 'Options to register a passkey (a single-use challenge, two minutes).',
    ok: { 200: WebAuthnOptions },
    errors: [401, 403],
  }),
  registerPasskey: route({
    method: 'POST',
    path: '/api/v1/auth/factors/passkey',
    tags,
    summary: "Register a passkey from the browser's answer to the options.",
    body: Type.Object({ response: PasskeyRegistration, label: Type.Optional(Label) }, closed),
    ok: { 201: FactorView },
    errors: [400, 401, 403],
  }),
  removeFactor: route({
    method: 'DELETE',
    path: '/api/v1/auth/factors/:id',
    tags,
    summary: "Remove one of the caller's second factors (not the last one where the policy requires one).",
    params: IdParams,
    ok: { 204: NoContent('Removed.') },
    errors: [401, 404, 409],
  }),
  secondFactorTotp: route({
    method: 'POST',
    path: '/api/v1/auth/second-factor/totp',
    tags,
    summary: 'Second step of a sign-in: a code from the authenticator app; answers the session.',
    body: Type.Object({ pendingToken: PendingToken, code: TotpCode }, closed),
    ok: { 200: LoginAnswer },
    errors: [401, 429],
  }),
  secondFactorPasskeyOptions: route({
    method: 'POST',
    path: '/api/v1/auth/second-factor/passkey/options',
    tags,
    summary: "Second step of a sign-in: options to sign with one of the user's passkeys.",
    body: Type.Object({ pendingToken: PendingToken }, closed),
    ok: { 200: WebAuthnOptions },
    errors: [401, 429],
  }),
  secondFactorPasskey: route({
    method: 'POST',
    path: '/api/v1/auth/second-factor/passkey',
    tags,
    summary: 'Second step of a sign-in: a passkey assertion; answers the session.',
    body: Type.Object({ pendingToken: PendingToken, response: PasskeyAssertion }, closed),
    ok: { 200: LoginAnswer },
    errors: [401, 429],
  }),
  enrolTotp: route({
    method: 'POST',
    path: '/api/v1/auth/second-factor/enrol/totp',
    tags,
    summary: 'A sign-in the policy requires a factor for, without one: start adding an authenticator app.',
    body: Type.Object({ pendingToken: PendingToken }, closed),
    ok: { 201: TotpSetup },
    errors: [401, 429],
  }),
  enrolTotpConfirm: route({
    method: 'POST',
    path: '/api/v1/auth/second-factor/enrol/totp/confirm',
    tags,
    summary: 'Confirm the authenticator app with a first code; completes the sign-in.',
    body: Type.Object({ pendingToken: PendingToken, factorId: IdField, code: TotpCode }, closed),
    ok: { 200: LoginAnswer },
    errors: [400, 401, 404, 429],
  }),
  enrolPasskeyOptions: route({
    method: 'POST',
    path: '/api/v1/auth/second-factor/enrol/passkey/options',
    tags,
    summary: 'A sign-in the policy requires a factor for, without one: options to register a passkey.',
    body: Type.Object({ pendingToken: PendingToken }, closed),
    ok: { 200: WebAuthnOptions },
    errors: [401, 429],
  }),
  enrolPasskey: route({
    method: 'POST',
    path: '/api/v1/auth/second-factor/enrol/passkey',
    tags,
    summary: 'Register the passkey; completes the sign-in.',
    body: Type.Object({ pendingToken: PendingToken, response: PasskeyRegistration }, closed),
    ok: { 200: LoginAnswer },
    errors: [400, 401, 429],
  }),
} as const;

import { Type, type Static } from '@sinclair/typebox';
import { LoginChallengeSchema } from '../signing/login-challenge.js';
import { ROLES } from '../vocabulary/roles.js';
import { SECOND_FACTOR_KINDS } from '../vocabulary/second-factors.js';
import { closed, EpochMs, NoContent, Nullable } from './common.js';
import { route } from './route.js';

/** Field schemas of the patient's credentials (shape only; the services check meaning). */
export const SsnField = Type.String({
  pattern: '^[0-9]{3}-[0-9]{2}-[0-9]{4}$',
  minLength: 11,
  maxLength: 11,
  description: 'US Social Security Number, ###-##-####.',
});
export const PinField = Type.String({
  pattern: '^[0-9]{6}$',
  minLength: 6,
  maxLength: 6,
  description: 'Exactly 6 digits.',
});
export const PasswordField = Type.String({ minLength: 1, maxLength: 1024 });
export const DateField = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  minLength: 10,
  maxLength: 10,
  description: 'YYYY-MM-DD.',
});

/** The logged-in user, as /auth/me and every login answer describe them. */
export const SessionUser = Type.Object(
  {
    id: Type.String(),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    username: Nullable(Type.String(), { description: 'Staff username; null for patients.' }),
    displayName: Nullable(Type.String()),
  },
  { ...closed, title: 'SessionUser' },
);
export type SessionUser = Static<typeof SessionUser>;

/** A login's answer: the opaque token (for Bearer use) and the user. The cookie is set too. */
export const LoginAnswer = Type.Object(
  {
    token: Type.String({ description: 'Opaque session token; send as Authorization: Bearer.' }),
    user: SessionUser,
  },
  { ...closed, title: 'LoginAnswer' },
);
export type LoginAnswer = Static<typeof LoginAnswer>;

/** The answer of a login whose first factor(s) passed and whose second is still to come (202). */
export const SecondFactorNeeded = Type.Object(
  {
    secondFactor: Type.Object(
      {
        pendingToken: Type.String({
          description: 'Opaque, single use, five minutes; only the second-factor routes take it.',
        }),
        expiresAt: EpochMs(),
        stage: Type.Union([Type.Literal('verify'), Type.Literal('enrol')]),
        methods: Type.Array(Type.Union(SECOND_FACTOR_KINDS.map((k) => Type.Literal(k)))),
      },
      closed,
    ),
  },
  { ...closed, title: 'SecondFactorNeeded' },
);
export type SecondFactorNeeded = Static<typeof SecondFactorNeeded>;

export const PatientLoginRequest = Type.Object(
  { ssn: SsnField, pin: PinField, password: PasswordField },
  closed,
);

export const ChallengeRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64, description: 'The staff username.' }) },
  closed,
);
export const ChallengeAnswer = Type.Object(
  {
    challengeId: Type.String(),
    challenge: LoginChallengeSchema,
    expiresAt: EpochMs('Epoch milliseconds; the challenge is single use.'),
  },
  closed,
);
export const StaffLoginRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    challengeId: Type.String({ minLength: 1, maxLength: 64 }),
    signature: Type.String({
      minLength: 1,
      maxLength: 1400,
      description:
        "Standard base64 signature of the challenge's login message (RSASSA-PKCS1-v1_5 SHA-256 or Ed25519), made with a registered key.",
    }),
  },
  closed,
);
export type StaffLoginRequest = Static<typeof StaffLoginRequest>;

export const RecoveryRequest = Type.Object(
  {
    ssn: SsnField,
    password: PasswordField,
    dateOfBirth: DateField,
    recoveryCode: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'The code given at registration or last recovery.',
    }),
    newPin: PinField,
  },
  closed,
);
export const RecoveryAnswer = Type.Object(
  {
    recoveryCode: Type.String({
      description: 'The NEW recovery code, shown once; the old one no longer works.',
    }),
  },
  closed,
);
export const TokenResetRequest = Type.Object(
  {
    ssn: SsnField,
    password: PasswordField,
    resetToken: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'The one-time token a registrar issued.',
    }),
    newPin: PinField,
  },
  closed,
);

/** An enrolment code as printed on the registration slip (dashes and spaces allowed, any case). */
export const EnrolmentCodeField = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'The one-time enrolment code from the registration slip, e.g. 7QKX-2M9D-4R0H-Z3TW-B1NE-4G8J.',
});

export const EnrolmentRequest = Type.Object(
  { ssn: SsnField, enrolmentCode: EnrolmentCodeField, pin: PinField, password: PasswordField },
  closed,
);
export const EnrolmentAnswer = Type.Object(
  {
    recoveryCode: Type.String({
      description: 'Shown once: the patient needs it to recover a forgotten PIN. Nobody else ever sees it.',
    }),
  },
  closed,
);

const tags = ['auth'];

/** Logins, logout, the current user, PIN recovery and reset. Login routes are rate-limited (429). */
export const authRoutes = {
  staffChallenge: route({
    method: 'POST',
    path: '/api/v1/auth/staff/challenge',
    tags,
    summary: 'A single-use login challenge for a username, valid two minutes.',
    body: ChallengeRequest,
    ok: { 200: ChallengeAnswer },
    errors: [429],
  }),
  staffLogin: route({
    method: 'POST',
    path: '/api/v1/auth/staff/login',
    tags,
    summary:
      'Staff login: password plus a signature of the challenge; answers a session, or 202 when a second factor follows.',
    body: StaffLoginRequest,
    ok: { 200: LoginAnswer, 202: SecondFactorNeeded },
    errors: [401, 429],
  }),
  patientLogin: route({
    method: 'POST',
    path: '/api/v1/auth/patient/login',
    tags,
    summary:
      'Patient login with SSN, PIN and password; answers a session, or 202 when a second factor follows. 403 `not_enrolled` for a patient who has not activated their account yet.',
    body: PatientLoginRequest,
    ok: { 200: LoginAnswer, 202: SecondFactorNeeded },
    errors: [401, 403, 429],
  }),
  enrolPatient: route({
    method: 'POST',
    path: '/api/v1/auth/patient/enrol',
    tags,
    summary:
      'First-time activation: SSN + the enrolment code from registration; the patient chooses PIN and password and receives the recovery code, once.',
    body: EnrolmentRequest,
    ok: { 200: EnrolmentAnswer },
    errors: [401, 409, 429],
  }),
  recoverPin: route({
    method: 'POST',
    path: '/api/v1/auth/pin-recovery',
    tags,
    summary: 'Self-service PIN recovery: sets a new PIN, issues a new recovery code, ends all sessions.',
    body: RecoveryRequest,
    ok: { 200: RecoveryAnswer },
    errors: [401, 429],
  }),
  resetPin: route({
    method: 'POST',
    path: '/api/v1/auth/pin-reset',
    tags,
    summary: "Sets a new PIN with a registrar's one-time reset token; ends all sessions.",
    body: TokenResetRequest,
    ok: { 204: NoContent('PIN changed.') },
    errors: [401, 429],
  }),
  logout: route({
    method: 'POST',
    path: '/api/v1/auth/logout',
    tags,
    summary: 'Ends the current session at once and clears the cookie (also when already ended).',
    ok: { 204: NoContent('Logged out.') },
    errors: [],
  }),
  me: route({
    method: 'GET',
    path: '/api/v1/auth/me',
    tags,
    summary: 'The logged-in user.',
    ok: { 200: SessionUser },
    errors: [401],
  }),
} as const;

import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { errorResponses } from '../api-error-schema.js';
import type { App } from '../app-type.js';
import { setSessionCookie } from '../auth.js';
import { authRateLimit } from '../rate-limit.js';
import { LoginAnswer } from './session-schemas.js';

/** Field schemas shared by the patient routes (shape only; the services check meaning). */
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

const PatientLoginRequest = Type.Object(
  { ssn: SsnField, pin: PinField, password: PasswordField },
  { additionalProperties: false },
);

const RecoveryRequest = Type.Object(
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
  { additionalProperties: false },
);

const RecoveryAnswer = Type.Object(
  {
    recoveryCode: Type.String({
      description: 'The NEW recovery code, shown once; the old one no longer works.',
    }),
  },
  { additionalProperties: false },
);

const TokenResetRequest = Type.Object(
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
  { additionalProperties: false },
);

/**
 * POST /api/v1/auth/patient/login, /auth/pin-recovery and /auth/pin-reset. Thin: the schema bounds
 * the input, the services decide (one generic 401 for any wrong factor, 429 while locked).
 */
export async function patientAuthRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const secure = ctx.config.tls !== undefined;

  app.post<{ Body: Static<typeof PatientLoginRequest> }>(
    '/api/v1/auth/patient/login',
    {
      config: authRateLimit(ctx.config),
      schema: {
        tags: ['auth'],
        summary: 'Patient login with SSN, PIN and password; answers a session.',
        body: PatientLoginRequest,
        response: { 200: LoginAnswer, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { token, expiresAt, user } = await ctx.identity.patientLogin.login(request.body);
      setSessionCookie(reply, token, expiresAt, secure);
      return { token, user: { ...user, username: null, displayName: null } };
    },
  );

  app.post<{ Body: Static<typeof RecoveryRequest> }>(
    '/api/v1/auth/pin-recovery',
    {
      config: authRateLimit(ctx.config),
      schema: {
        tags: ['auth'],
        summary: 'Self-service PIN recovery: sets a new PIN, issues a new recovery code, ends all sessions.',
        body: RecoveryRequest,
        response: { 200: RecoveryAnswer, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => ctx.identity.pinRecovery.recover(request.body),
  );

  app.post<{ Body: Static<typeof TokenResetRequest> }>(
    '/api/v1/auth/pin-reset',
    {
      config: authRateLimit(ctx.config),
      schema: {
        tags: ['auth'],
        summary: "Sets a new PIN with a registrar's one-time reset token; ends all sessions.",
        body: TokenResetRequest,
        response: { 204: { type: 'null', description: 'PIN changed.' }, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      await ctx.identity.pinRecovery.resetWithToken(request.body);
      return reply.code(204).send();
    },
  );
}

import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { errorResponses } from '../api-error-schema.js';
import { setSessionCookie } from '../auth.js';
import { authRateLimit } from '../rate-limit.js';
import type { App } from '../app-type.js';
import { LoginAnswer } from './session-schemas.js';

const ChallengeRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64, description: 'The staff username.' }) },
  { additionalProperties: false },
);

const ChallengeAnswer = Type.Object(
  {
    challengeId: Type.String(),
    challenge: Type.String({
      description: 'Sign the UTF-8 bytes of exactly this string (RSASSA-PKCS1-v1_5 SHA-256 or Ed25519).',
    }),
    expiresAt: Type.Integer({ description: 'Epoch milliseconds; the challenge is single use.' }),
  },
  { additionalProperties: false },
);

const StaffLoginRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    challengeId: Type.String({ minLength: 1, maxLength: 64 }),
    signature: Type.String({
      minLength: 1,
      maxLength: 1400,
      description: 'Standard base64 signature of the challenge, made with a registered key.',
    }),
  },
  { additionalProperties: false },
);

export interface RouteDeps {
  readonly ctx: AppContext;
}

/**
 * POST /api/v1/auth/staff/challenge and /login. Thin: the schema bounds the input, the
 * StaffLogin service decides; the route only sets the session cookie on success.
 */
export async function staffAuthRoutes(app: App, { ctx }: RouteDeps): Promise<void> {
  const secure = ctx.config.tls !== undefined;

  app.post<{ Body: Static<typeof ChallengeRequest> }>(
    '/api/v1/auth/staff/challenge',
    {
      config: authRateLimit(ctx.config),
      schema: {
        tags: ['auth'],
        summary: 'A single-use login challenge for a username, valid two minutes.',
        body: ChallengeRequest,
        response: { 200: ChallengeAnswer, ...errorResponses(400, 403, 429) },
      },
    },
    async (request) => ctx.identity.staffLogin.issueChallenge(request.body.username),
  );

  app.post<{ Body: Static<typeof StaffLoginRequest> }>(
    '/api/v1/auth/staff/login',
    {
      config: authRateLimit(ctx.config),
      schema: {
        tags: ['auth'],
        summary: 'Staff login: password plus a signature of the challenge; answers a session.',
        body: StaffLoginRequest,
        response: { 200: LoginAnswer, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { token, expiresAt, user } = await ctx.identity.staffLogin.login(request.body);
      setSessionCookie(reply, token, expiresAt, secure);
      return { token, user };
    },
  );
}

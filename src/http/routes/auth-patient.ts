import type { AppContext } from '../../app/context.js';
import { authRoutes as CONTRACT } from '../../contract/api/auth.js';
import type { App } from '../app-type.js';
import { setSessionCookie } from '../auth.js';
import { contractRoute } from '../contract-route.js';
import { credentialRateLimit } from '../rate-limit.js';

/**
 * POST /api/v1/auth/patient/login, /auth/patient/enrol, /auth/pin-recovery and /auth/pin-reset. Thin: the schema bounds
 * the input, the services decide (one generic 401 for any wrong factor, 429 while locked or over
 * the address's credential budget, 503 while the hashing queue is full).
 */
export async function patientAuthRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const secure = ctx.config.tls !== undefined;
  // One per-address budget for the three routes and the staff login (each hashes with argon2id).
  const config = credentialRateLimit(ctx.config);

  contractRoute(app, CONTRACT.patientLogin, { config }, async (request, reply) => {
    const answer = await ctx.identity.patientLogin.signIn(request.body);
    // A second factor follows: the pending token, no session and no cookie yet.
    if ('secondFactor' in answer) return reply.code(202).send(answer);
    const { token, expiresAt, user } = answer;
    setSessionCookie(reply, token, expiresAt, secure);
    return { token, user: { ...user, username: null, displayName: null } };
  });

  // Enrolment hashes PIN and password: the same per-address budget as the logins.
  contractRoute(app, CONTRACT.enrolPatient, { config }, async (request) =>
    ctx.identity.enrolment.activate(request.body),
  );

  contractRoute(app, CONTRACT.recoverPin, { config }, async (request) =>
    ctx.identity.pinRecovery.recover(request.body),
  );

  contractRoute(app, CONTRACT.resetPin, { config }, async (request, reply) => {
    await ctx.identity.pinRecovery.resetWithToken(request.body);
    return reply.code(204).send();
  });
}

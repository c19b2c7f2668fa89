import type { AppContext } from '../../app/context.js';
import { authRoutes as CONTRACT } from '../../contract/api/auth.js';
import { setSessionCookie } from '../auth.js';
import { authRateLimit, credentialRateLimit } from '../rate-limit.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';

export interface RouteDeps {
  readonly ctx: AppContext;
}

/**
 * POST /api/v1/auth/staff/challenge and /login. Thin: the contract's schema bounds the input,
 * the StaffLogin service decides; the route only sets the session cookie on success.
 */
export async function staffAuthRoutes(app: App, { ctx }: RouteDeps): Promise<void> {
  const secure = ctx.config.tls !== undefined;

  contractRoute(app, CONTRACT.staffChallenge, { config: authRateLimit(ctx.config) }, async (request) =>
    // The challenge names the origin it is for, and clients refuse one for another origin (a
    // relaying site). Configured, it is the public address; else this request's own — behind a
    // proxy that must be configured, since the Host header is whatever a relay chose to send.
    ctx.identity.staffLogin.issueChallenge(
      request.body.username,
      ctx.config.publicOrigin ?? `${request.protocol}://${request.host}`,
    ),
  );

  contractRoute(
    app,
    CONTRACT.staffLogin,
    { config: credentialRateLimit(ctx.config) },
    async (request, reply) => {
      // The client address: attempts without a valid signature count against it, not the account.
      const answer = await ctx.identity.staffLogin.signIn(request.body, request.ip);
      // A second factor follows: the pending token, no session and no cookie yet.
      if ('secondFactor' in answer) return reply.code(202).send(answer);
      const { token, expiresAt, user } = answer;
      setSessionCookie(reply, token, expiresAt, secure);
      return { token, user };
    },
  );
}

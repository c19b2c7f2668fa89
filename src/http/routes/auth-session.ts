import type { AppContext } from '../../app/context.js';
import { authRoutes as CONTRACT } from '../../contract/api/auth.js';
import { clearSessionCookie, requireScope } from '../auth.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';

/**
 * POST /api/v1/auth/logout and GET /api/v1/auth/me, for every role. Not rate-limited, unlike
 * the login routes: they check no credential (a 256-bit token cannot be guessed), and the UI
 * calls /auth/me on every page load, which a whole hospital behind one address must not exhaust.
 */
export async function sessionRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const secure = ctx.config.tls !== undefined;

  contractRoute(app, CONTRACT.logout, {}, async (request, reply) => {
    await ctx.identity.currentSession.logout(request.scope, request.sessionToken);
    clearSessionCookie(reply, secure);
    return reply.code(204).send();
  });

  contractRoute(app, CONTRACT.me, {}, async (request) =>
    ctx.identity.currentSession.me(requireScope(request)),
  );
}

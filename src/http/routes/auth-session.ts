import type { AppContext } from '../../app/context.js';
import { errorResponses } from '../api-error-schema.js';
import { clearSessionCookie, requireScope } from '../auth.js';
import type { App } from '../app-type.js';
import { SessionUserSchema } from './session-schemas.js';

/**
 * POST /api/v1/auth/logout and GET /api/v1/auth/me, for every role. Not rate-limited, unlike
 * the login routes: they check no credential (a 256-bit token cannot be guessed), and the UI
 * calls /auth/me on every page load, which a whole hospital behind one address must not exhaust.
 */
export async function sessionRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const secure = ctx.config.tls !== undefined;

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Ends the current session at once and clears the cookie (also when already ended).',
        response: { 204: { type: 'null', description: 'Logged out.' }, ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      await ctx.identity.currentSession.logout(request.scope, request.sessionToken);
      clearSessionCookie(reply, secure);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user.',
        response: { 200: SessionUserSchema, ...errorResponses(401) },
      },
    },
    async (request) => ctx.identity.currentSession.me(requireScope(request)),
  );
}

import type { AppContext } from '../../app/context.js';
import { accountRoutes as CONTRACT } from '../../contract/api/account.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute } from '../contract-route.js';
import { credentialRateLimit } from '../rate-limit.js';

/**
 * /api/v1/account/*: a signed-in patient's own credentials and sessions. Thin: the service
 * checks the role, both current secrets and the lockout. The routes that hash a credential
 * share the per-address credential budget with the logins.
 */
export async function accountRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const config = credentialRateLimit(ctx.config);
  const account = ctx.identity.patientAccount;
  // requireScope first: without a session there is no token either.
  const token = (request: { sessionToken: string | null }): string => request.sessionToken ?? '';

  contractRoute(app, CONTRACT.changePassword, { config }, async (request, reply) => {
    await account.changePassword(requireScope(request), token(request), request.body);
    return reply.code(204).send();
  });

  contractRoute(app, CONTRACT.changePin, { config }, async (request, reply) => {
    await account.changePin(requireScope(request), token(request), request.body);
    return reply.code(204).send();
  });

  contractRoute(app, CONTRACT.renewRecoveryCode, { config }, async (request) =>
    account.renewRecoveryCode(requireScope(request), request.body),
  );

  contractRoute(app, CONTRACT.listOwnSessions, {}, async (request) => ({
    sessions: await account.sessions(requireScope(request), token(request)),
  }));

  contractRoute(app, CONTRACT.endOtherSessions, {}, async (request) =>
    account.endOtherSessions(requireScope(request), token(request)),
  );
}

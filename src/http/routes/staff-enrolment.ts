import type { AppContext } from '../../app/context.js';
import { staffEnrolmentRoutes as CONTRACT } from '../../contract/api/staff-enrolment.js';
import { requireScope } from '../auth.js';
import { credentialRateLimit } from '../rate-limit.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';

/**
 * Staff enrolment with an invite code (anonymous, rate-limited with the other routes that hash a
 * password) and the holder's own keys (a session and a signature of a current key).
 */
export async function staffEnrolmentRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  contractRoute(
    app,
    CONTRACT.enrolStaff,
    { config: credentialRateLimit(ctx.config) },
    async (request, reply) => reply.code(201).send(await ctx.identity.staffInvites.enrol(request.body)),
  );

  contractRoute(app, CONTRACT.addOwnKey, {}, async (request, reply) =>
    reply.code(201).send(await ctx.identity.ownKeys.add(requireScope(request), request.body)),
  );
}

import type { AppContext } from '../../app/context.js';
import { adminUserRoutes as CONTRACT } from '../../contract/api/admin-users.js';
import { requireScope } from '../auth.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';

/**
 * Staff account administration under /api/v1/admin/users. Thin: StaffAccounts decides access
 * (`users.manage`) and writes the ledger. An admin creates an account with no password and no
 * key (an invite code and a request for a second admin), disables it, revokes keys and asks for a
 * re-enrolment; nothing here sets a password or registers a key on someone's account.
 */
export async function adminUserRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  // Anonymous callers get 401 before their body is even validated: they learn nothing here.
  app.addHook('onRequest', async (request) => {
    requireScope(request);
  });

  contractRoute(app, CONTRACT.createStaffUser, {}, async (request, reply) => {
    const created = await ctx.identity.staffAccounts.create(requireScope(request), request.body);
    // The invite code is in this answer only: it must not linger in any cache.
    void reply.header('cache-control', 'no-store');
    return reply.code(201).send(created);
  });

  contractRoute(app, CONTRACT.listStaffUsers, {}, async (request) => ({
    users: await ctx.identity.staffAccounts.list(requireScope(request)),
  }));

  contractRoute(app, CONTRACT.disableStaffUser, {}, async (request) =>
    ctx.identity.staffAccounts.disable(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.requestStaffReenrol, {}, async (request, reply) => {
    const requested = await ctx.identity.staffAccounts.requestReenrol(
      requireScope(request),
      request.params.id,
    );
    return reply.code(201).send(requested);
  });

  contractRoute(app, CONTRACT.revokeStaffKey, {}, async (request, reply) => {
    await ctx.identity.staffAccounts.revokeKey(
      requireScope(request),
      request.params.id,
      request.params.keyId,
    );
    return reply.code(204).send();
  });
}

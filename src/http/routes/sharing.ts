import type { AppContext } from '../../app/context.js';
import { sharingRoutes as CONTRACT } from '../../contract/api/sharing.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute } from '../contract-route.js';
import { idempotent } from '../idempotency.js';

/**
 * Sharing: a patient's grants (create, list, revoke), the doctor directory, and break-glass.
 * Thin: the services decide (another patient's grants are 404; staff managing grants 403).
 */
export async function sharingRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  contractRoute(app, CONTRACT.createGrant, {}, async (request, reply) =>
    idempotent(ctx, request, reply, async () => {
      const grant = await ctx.sharing.grants.create(requireScope(request), request.params.id, request.body);
      return reply.code(201).send({ grant });
    }),
  );

  contractRoute(app, CONTRACT.listGrants, {}, async (request) => ({
    grants: await ctx.sharing.grants.list(requireScope(request), request.params.id),
  }));

  contractRoute(app, CONTRACT.revokeGrant, {}, async (request, reply) => {
    await ctx.sharing.grants.revoke(requireScope(request), request.params.id, request.params.grantId);
    return reply.code(204).send();
  });

  contractRoute(app, CONTRACT.listDoctors, {}, async (request) => ({
    doctors: await ctx.sharing.grants.doctors(requireScope(request)),
  }));

  contractRoute(app, CONTRACT.breakGlass, {}, async (request, reply) =>
    reply
      .code(201)
      .send(await ctx.sharing.breakGlass.open(requireScope(request), request.params.id, request.body.reason)),
  );
}

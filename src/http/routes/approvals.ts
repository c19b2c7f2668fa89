import type { AppContext } from '../../app/context.js';
import { approvalRoutes as CONTRACT } from '../../contract/api/approvals.js';
import { requireScope } from '../auth.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';

/**
 * The two-person rule under /api/v1/approvals. Thin: the Approvals service decides (another
 * person, the right role, in time, once) and ledgers; a decision may hand back an invite code,
 * so its answer is never cached.
 */
export async function approvalRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  app.addHook('onRequest', async (request) => {
    requireScope(request);
  });

  contractRoute(app, CONTRACT.listApprovals, {}, async (request) => ({
    approvals: await ctx.approvals.pending(requireScope(request)),
  }));

  contractRoute(app, CONTRACT.approveRequest, {}, async (request, reply) => {
    const decision = await ctx.approvals.approve(requireScope(request), request.params.id);
    void reply.header('cache-control', 'no-store');
    return decision;
  });

  contractRoute(app, CONTRACT.refuseRequest, {}, async (request) =>
    ctx.approvals.refuse(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.requestBudgetRaise, {}, async (request, reply) => {
    const approval = await ctx.analytics.budgetRaises.request(requireScope(request), request.body.epsilon);
    return reply.code(201).send(approval);
  });
}

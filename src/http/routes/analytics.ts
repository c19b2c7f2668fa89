import type { AppContext } from '../../app/context.js';
import { analyticsRoutes as CONTRACT } from '../../contract/api/analytics.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute } from '../contract-route.js';

/**
 * Differentially private statistics (admins): one query per request, its epsilon spent from the
 * caller's budget; 429 `privacy_budget_exhausted` when it does not fit. Thin: the service decides.
 */
export async function analyticsRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  contractRoute(app, CONTRACT.analyticsQuery, {}, async (request) =>
    ctx.analytics.statistics.query(requireScope(request), request.body),
  );

  contractRoute(app, CONTRACT.privacyBudget, {}, async (request) =>
    ctx.analytics.statistics.budget(requireScope(request)),
  );
}

import type { AppContext } from '../../app/context.js';
import { patientSearchRoutes as CONTRACT } from '../../contract/api/patient-search.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute } from '../contract-route.js';
import { breakGlassLookupRate } from '../rate-limit.js';

/** Finding a patient and the break-glass look-up. Thin: the finder and the access scope decide. */
export async function patientSearchRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  contractRoute(app, CONTRACT.findPatients, {}, async (request) =>
    ctx.identity.patientFinder.find(requireScope(request), request.body),
  );

  contractRoute(
    app,
    CONTRACT.breakGlassLookup,
    { config: breakGlassLookupRate(ctx.config) },
    async (request) => ({
      patients: await ctx.identity.patientFinder.lookUpForBreakGlass(requireScope(request), request.body),
    }),
  );
}

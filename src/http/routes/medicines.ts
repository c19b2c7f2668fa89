import type { AppContext } from '../../app/context.js';
import { medicineRoutes as CONTRACT } from '../../contract/api/medicines.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute } from '../contract-route.js';

/** The medicines catalog search (doctors and pharmacists). */
export async function medicineRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  contractRoute(app, CONTRACT.searchMedicines, {}, async (request) => ({
    medicines: await ctx.prescriptions.medicines.search(
      requireScope(request),
      request.query.q,
      request.query.limit,
    ),
  }));
}

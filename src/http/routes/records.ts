import type { AppContext } from '../../app/context.js';
import { recordRoutes as CONTRACT } from '../../contract/api/records.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute } from '../contract-route.js';
import { idempotent } from '../idempotency.js';

/**
 * Records, keyword search and the patient's access history. Thin: the records services decide
 * access and validate bodies (a 400 names the field; a record that fails its integrity check 422).
 */
export async function recordRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  contractRoute(app, CONTRACT.createRecord, {}, async (request, reply) =>
    idempotent(ctx, request, reply, async () =>
      reply
        .code(201)
        .send(await ctx.records.records.create(requireScope(request), request.params.id, request.body)),
    ),
  );

  contractRoute(app, CONTRACT.listRecords, {}, async (request) =>
    ctx.records.records.list(requireScope(request), request.params.id, request.query),
  );

  contractRoute(app, CONTRACT.recentRecords, {}, async (request) =>
    ctx.records.records.recent(requireScope(request)),
  );

  contractRoute(app, CONTRACT.getRecord, {}, async (request) =>
    ctx.records.records.get(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.search, {}, async (request) =>
    ctx.records.search.search(requireScope(request), request.query),
  );

  contractRoute(app, CONTRACT.accessLog, {}, async (request) =>
    ctx.records.accessLog.list(requireScope(request), request.params.id, request.query),
  );
}

import { Readable } from 'node:stream';
import type { AppContext } from '../../app/context.js';
import { auditRoutes as CONTRACT } from '../../contract/api/audit.js';
import { requireScope } from '../auth.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';

/**
 * The audit ledger over HTTP. Thin: LedgerAccess decides who sees what (admins everything,
 * patients proofs of their own entries, any logged-in user checkpoints and consistency proofs,
 * anyone the public key).
 */
export async function auditRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const access = ctx.audit.ledgerAccess;

  contractRoute(app, CONTRACT.auditPublicKey, {}, async () => access.publicKey());

  contractRoute(app, CONTRACT.auditCheckpoint, {}, async (request) =>
    access.checkpoint(requireScope(request)),
  );

  contractRoute(app, CONTRACT.auditEntries, {}, async (request) => {
    const scope = requireScope(request);
    const { limit, before, ...filter } = request.query;
    return access.entries(scope, filter, {
      ...(limit === undefined ? {} : { limit }),
      before: before ?? null,
    });
  });

  contractRoute(app, CONTRACT.auditExport, { exposeHeadRoute: false }, async (request, reply) => {
    const lines = await access.exportCsv(requireScope(request), request.query);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="medvault-audit-${stamp}.csv"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    return reply.code(200).send(Readable.from(lines));
  });

  contractRoute(app, CONTRACT.inclusionProof, {}, async (request) =>
    access.inclusionProof(requireScope(request), request.query.index, request.query.treeSize),
  );

  contractRoute(app, CONTRACT.consistencyProof, {}, async (request) =>
    access.consistencyProof(requireScope(request), request.query.from, request.query.to),
  );

  contractRoute(app, CONTRACT.verifyLedger, {}, async (request) => access.verify(requireScope(request)));
}

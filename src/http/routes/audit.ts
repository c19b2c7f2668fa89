import type { AppContext } from '../../app/context.js';
import { auditRoutes as CONTRACT } from '../../contract/api/audit.js';
import { requireActor } from '../auth.js';
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
    access.checkpoint(requireActor(request)),
  );

  contractRoute(app, CONTRACT.auditEntries, {}, async (request) => {
    const actor = requireActor(request);
    const { limit, before, ...filter } = request.query;
    return access.entries(actor, filter, {
      ...(limit === undefined ? {} : { limit }),
      before: before ?? null,
    });
  });

  contractRoute(app, CONTRACT.inclusionProof, {}, async (request) =>
    access.inclusionProof(requireActor(request), request.query.index, request.query.treeSize),
  );

  contractRoute(app, CONTRACT.consistencyProof, {}, async (request) =>
    access.consistencyProof(requireActor(request), request.query.from, request.query.to),
  );

  contractRoute(app, CONTRACT.verifyLedger, {}, async (request) => access.verify(requireActor(request)));
}

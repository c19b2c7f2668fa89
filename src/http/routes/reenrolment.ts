import type { AppContext } from '../../app/context.js';
import { reenrolmentRoutes as CONTRACT } from '../../contract/api/reenrolment.js';
import { requireScope } from '../auth.js';
import type { App } from '../app-type.js';
import { contractRoute } from '../contract-route.js';

/**
 * Patient re-enrolment requests, the MFA policy and its change requests, and one's own notices.
 * Thin: the identity services decide (through the request's scope) and ledger; the decision on a
 * request is the approvals routes'.
 */
export async function reenrolmentRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  const { patientReenrolment, factorPolicy, notices } = ctx.identity;

  contractRoute(app, CONTRACT.requestPatientReenrolment, {}, async (request, reply) => {
    const approval = await patientReenrolment.request(requireScope(request), request.params.id);
    return reply.code(201).send(approval);
  });

  contractRoute(app, CONTRACT.patientReenrolment, {}, async (request) => ({
    request: await patientReenrolment.latest(requireScope(request), request.params.id),
  }));

  contractRoute(app, CONTRACT.factorPolicy, {}, async (request) => factorPolicy.view(requireScope(request)));

  contractRoute(app, CONTRACT.requestFactorPolicy, {}, async (request, reply) => {
    const approval = await factorPolicy.request(
      requireScope(request),
      request.body.role,
      request.body.policy,
    );
    return reply.code(201).send(approval);
  });

  contractRoute(app, CONTRACT.myNotices, {}, async (request) => ({
    notices: await notices.mine(requireScope(request)),
  }));

  contractRoute(app, CONTRACT.dismissNotice, {}, async (request, reply) => {
    await notices.dismiss(requireScope(request), request.params.id);
    return reply.code(204).send();
  });
}

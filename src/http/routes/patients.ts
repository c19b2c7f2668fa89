import type { AppContext } from '../../app/context.js';
import { patientRoutes as CONTRACT } from '../../contract/api/patients.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute } from '../contract-route.js';
import { idempotent } from '../idempotency.js';

/**
 * Patient routes for registrars (register, list, demographics, care team, assisted PIN reset)
 * and the reachable-patients list for doctors and patients. Thin: the services decide access.
 */
export async function patientRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  contractRoute(app, CONTRACT.registerPatient, {}, async (request, reply) =>
    idempotent(ctx, request, reply, async () =>
      reply.code(201).send(await ctx.identity.patients.register(requireScope(request), request.body)),
    ),
  );

  contractRoute(app, CONTRACT.listPatients, {}, async (request) =>
    ctx.identity.patientDirectory.list(requireScope(request), request.query),
  );

  contractRoute(app, CONTRACT.getPatient, {}, async (request) =>
    ctx.identity.patients.get(requireScope(request), request.params.id, { withAllergies: true }),
  );

  contractRoute(app, CONTRACT.issuePinReset, {}, async (request) =>
    ctx.identity.pinRecovery.issueReset(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.issueEnrolmentCode, {}, async (request) =>
    ctx.identity.enrolment.reissue(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.assignCareTeam, {}, async (request, reply) => {
    const result = await ctx.sharing.careTeams.assign(
      requireScope(request),
      request.params.id,
      request.body.doctorId,
    );
    return reply.code(result.added ? 201 : 200).send(result);
  });

  contractRoute(app, CONTRACT.removeCareTeam, {}, async (request, reply) => {
    await ctx.sharing.careTeams.remove(requireScope(request), request.params.id, request.params.doctorId);
    return reply.code(204).send();
  });
}

import type { AppContext } from '../../app/context.js';
import { prescriptionRoutes as CONTRACT, SUBMIT_BODY_LIMIT } from '../../contract/api/prescriptions.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contractRoute } from '../contract-route.js';
import { idempotent } from '../idempotency.js';

/**
 * Signed prescriptions: submit (doctor), queue, verify and dispense (pharmacist), evidence and a
 * patient's list. Thin: src/app/prescriptions decides access and verifies.
 */
export async function prescriptionRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  contractRoute(app, CONTRACT.submitPrescription, { bodyLimit: SUBMIT_BODY_LIMIT }, async (request, reply) =>
    idempotent(ctx, request, reply, async () =>
      reply.code(201).send(await ctx.prescriptions.prescriptions.sign(requireScope(request), request.body)),
    ),
  );

  contractRoute(app, CONTRACT.prescriptionQueue, {}, async (request) => {
    const { limit, cursor } = request.query;
    return ctx.prescriptions.prescriptions.queue(requireScope(request), {
      ...(limit === undefined ? {} : { limit }),
      ...(cursor === undefined ? {} : { cursor }),
    });
  });

  contractRoute(app, CONTRACT.getPrescription, {}, async (request) =>
    ctx.prescriptions.prescriptions.get(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.dispensePrescription, {}, async (request) =>
    ctx.prescriptions.prescriptions.dispense(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.prescriptionEvidence, {}, async (request) =>
    ctx.prescriptions.prescriptions.evidence(requireScope(request), request.params.id),
  );

  contractRoute(app, CONTRACT.prescribingChecks, {}, async (request) =>
    ctx.prescriptions.prescriptions.check(requireScope(request), request.params.id, request.query.medicineId),
  );

  contractRoute(app, CONTRACT.patientPrescriptions, {}, async (request) => ({
    prescriptions: await ctx.prescriptions.prescriptions.forPatient(requireScope(request), request.params.id),
  }));
}

import type { AppContext } from '../../app/context.js';
import { AppError } from '../../app/errors.js';
import { registerAuth } from '../auth.js';
import { registerRateLimit, type RateLimitSharing } from '../rate-limit.js';
import { accountRoutes } from './account.js';
import { adminUserRoutes } from './admin-users.js';
import { approvalRoutes } from './approvals.js';
import { staffEnrolmentRoutes } from './staff-enrolment.js';
import { sessionRoutes } from './auth-session.js';
import { staffAuthRoutes } from './auth-staff.js';
import { patientAuthRoutes } from './auth-patient.js';
import { secondFactorRoutes } from './second-factors.js';
import { patientRoutes } from './patients.js';
import { patientSearchRoutes } from './patient-search.js';
import { sharingRoutes } from './sharing.js';
import { auditRoutes } from './audit.js';
import { attachmentRoutes } from './attachments.js';
import { recordRoutes } from './records.js';
import { reenrolmentRoutes } from './reenrolment.js';
import { medicineRoutes } from './medicines.js';
import { prescriptionRoutes } from './prescriptions.js';
import { analyticsRoutes } from './analytics.js';
import { unsealRoutes } from './unseal.js';
import { registerIdempotency } from '../idempotency.js';
import type { App } from '../app-type.js';

/**
 * Wires the /api/v1 routes to the application. Every route module is a thin adapter: it
 * validates input with its schema, calls one service with the request's access scope
 * (`requireScope(request)`), and shapes the answer; the services decide access through that
 * scope (src/app/access).
 */
export async function registerApi(app: App, ctx: AppContext): Promise<RateLimitSharing> {
  await registerAuth(app, (token) => ctx.identity.sessions.openScope(ctx.store.db, token));
  const rateLimitsShared = await registerRateLimit(app, ctx.config);
  // Open already: an unseal call is answered, and refused, like on a server that never was sealed.
  await app.register(unsealRoutes, {
    config: ctx.config,
    submit: async () => {
      throw new AppError('not_sealed');
    },
  });
  registerIdempotency(app, ctx);
  await app.register(staffAuthRoutes, { ctx });
  await app.register(sessionRoutes, { ctx });
  await app.register(adminUserRoutes, { ctx });
  await app.register(approvalRoutes, { ctx });
  await app.register(staffEnrolmentRoutes, { ctx });
  await app.register(patientAuthRoutes, { ctx });
  await app.register(secondFactorRoutes, { ctx });
  await app.register(accountRoutes, { ctx });
  await app.register(patientSearchRoutes, { ctx });
  await app.register(patientRoutes, { ctx });
  await app.register(sharingRoutes, { ctx });
  await app.register(auditRoutes, { ctx });
  await app.register(attachmentRoutes, { ctx });
  await app.register(recordRoutes, { ctx });
  await app.register(medicineRoutes, { ctx });
  await app.register(prescriptionRoutes, { ctx });
  await app.register(analyticsRoutes, { ctx });
  await app.register(reenrolmentRoutes, { ctx });
  return rateLimitsShared;
}

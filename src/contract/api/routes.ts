import { accountRoutes } from './account.js';
import { adminUserRoutes } from './admin-users.js';
import { analyticsRoutes } from './analytics.js';
import { approvalRoutes } from './approvals.js';
import { attachmentRoutes } from './attachments.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { healthRoutes } from './health.js';
import { medicineRoutes } from './medicines.js';
import { patientSearchRoutes } from './patient-search.js';
import { patientRoutes } from './patients.js';
import { prescriptionRoutes } from './prescriptions.js';
import { recordRoutes } from './records.js';
import { reenrolmentRoutes } from './reenrolment.js';
import { secondFactorRoutes } from './second-factors.js';
import type { ApiRoute } from './route.js';
import { sharingRoutes } from './sharing.js';
import { staffEnrolmentRoutes } from './staff-enrolment.js';
import { systemRoutes } from './system.js';

/**
 * THE route table: every endpoint MedVault answers, by name. Each resource file declares its
 * own routes (schemas beside them); this is where they meet. The server registers exactly these
 * (src/http/routes/*), the OpenAPI document describes exactly these, and the typed client
 * (src/contract/client) calls them by name.
 */
export const API_ROUTES = {
  ...healthRoutes,
  ...systemRoutes,
  ...authRoutes,
  ...secondFactorRoutes,
  ...accountRoutes,
  ...adminUserRoutes,
  ...patientSearchRoutes,
  ...patientRoutes,
  ...sharingRoutes,
  ...recordRoutes,
  ...attachmentRoutes,
  ...medicineRoutes,
  ...prescriptionRoutes,
  ...auditRoutes,
  ...analyticsRoutes,
  ...approvalRoutes,
  ...staffEnrolmentRoutes,
  ...reenrolmentRoutes,
} as const satisfies Readonly<Record<string, ApiRoute>>;

export type ApiRoutes = typeof API_ROUTES;
export type RouteName = keyof ApiRoutes;

export const ROUTE_NAMES = Object.keys(API_ROUTES) as RouteName[];

/** "METHOD /path" (Fastify `:param` syntax) → route name, for readers of real requests. */
const BY_KEY = new Map<string, RouteName>(
  ROUTE_NAMES.map((name) => [`${API_ROUTES[name].method} ${API_ROUTES[name].path}`, name]),
);

/**
 * The route a method and path template name, in either syntax (`/records/:id` or OpenAPI's
 * `/records/{id}`), or undefined when the contract has none.
 */
export function routeNamed(method: string, template: string): RouteName | undefined {
  const path = template.replace(/\{(\w+)\}/g, ':$1');
  return BY_KEY.get(`${method.toUpperCase()} ${path}`);
}

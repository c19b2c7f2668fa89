import type { TObject, TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { accountRoutes } from '../../src/contract/api/account.js';
import { adminUserRoutes } from '../../src/contract/api/admin-users.js';
import { secondFactorRoutes } from '../../src/contract/api/second-factors.js';
import { analyticsRoutes } from '../../src/contract/api/analytics.js';
import { approvalRoutes } from '../../src/contract/api/approvals.js';
import { attachmentRoutes } from '../../src/contract/api/attachments.js';
import { auditRoutes } from '../../src/contract/api/audit.js';
import { authRoutes } from '../../src/contract/api/auth.js';
import { ApiErrorSchema } from '../../src/contract/api/common.js';
import { healthRoutes } from '../../src/contract/api/health.js';
import { medicineRoutes } from '../../src/contract/api/medicines.js';
import { patientSearchRoutes } from '../../src/contract/api/patient-search.js';
import { patientRoutes } from '../../src/contract/api/patients.js';
import { prescriptionRoutes } from '../../src/contract/api/prescriptions.js';
import { recordRoutes } from '../../src/contract/api/records.js';
import { reenrolmentRoutes } from '../../src/contract/api/reenrolment.js';
import { frameworkErrors, route, type ApiRoute } from '../../src/contract/api/route.js';
import { API_ROUTES, ROUTE_NAMES, routeNamed } from '../../src/contract/api/routes.js';
import { sharingRoutes } from '../../src/contract/api/sharing.js';
import { staffEnrolmentRoutes } from '../../src/contract/api/staff-enrolment.js';
import { systemRoutes } from '../../src/contract/api/system.js';

const GROUPS = [
  healthRoutes,
  systemRoutes,
  authRoutes,
  accountRoutes,
  adminUserRoutes,
  patientSearchRoutes,
  patientRoutes,
  sharingRoutes,
  recordRoutes,
  attachmentRoutes,
  medicineRoutes,
  prescriptionRoutes,
  auditRoutes,
  analyticsRoutes,
  secondFactorRoutes,
  approvalRoutes,
  staffEnrolmentRoutes,
  reenrolmentRoutes,
];
const all = (): Array<[string, ApiRoute]> => ROUTE_NAMES.map((n) => [n, API_ROUTES[n]]);

describe('the route table', () => {
  it('loses no route of a resource to a name used twice', () => {
    expect(ROUTE_NAMES.length).toBe(GROUPS.reduce((n, g) => n + Object.keys(g).length, 0));
  });

  it('names each method and path once, and finds it in either path syntax', () => {
    const keys = all().map(([, r]) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(routeNamed('GET', '/api/v1/records/{id}')).toBe('getRecord');
    expect(routeNamed('get', '/api/v1/records/:id')).toBe('getRecord');
    expect(routeNamed('GET', '/api/v1/nowhere')).toBeUndefined();
  });

  it('declares a 2xx answer for every route and the one error schema for every error status', () => {
    for (const [name, r] of all()) {
      const statuses = Object.keys(r.responses).map(Number);
      expect(statuses.filter((s) => s < 300).length, name).toBeGreaterThan(0);
      for (const s of statuses.filter((x) => x >= 400))
        expect(r.responses[s], `${name} ${s}`).toBe(ApiErrorSchema);
      for (const s of statuses.filter((x) => x < 300))
        expect(r.responses[s], `${name} ${s}`).toBe(r.ok[s as 200]);
    }
  });

  it('names every path parameter in the params schema, and only those', () => {
    for (const [name, r] of all()) {
      const inPath = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
      expect(Object.keys(r.params?.properties ?? {}).sort(), name).toEqual(inPath);
    }
  });

  it('points each paged list at its rows, its cursor and the query parameter that takes it', () => {
    const props = (s: TSchema | undefined): string[] =>
      Object.keys((s as TObject | undefined)?.properties ?? {});
    for (const [name, r] of all()) {
      if (r.page === undefined) continue;
      expect(props(r.ok[200]), name).toEqual(expect.arrayContaining([r.page.items, r.page.next]));
      expect(props(r.query), name).toContain(r.page.param);
    }
  });

  it('adds the errors every route of a kind can answer: 500 and 503; 400 with input; 413, 415 with a body; 403 on writes', () => {
    const base = { path: '/x', tags: [], summary: 's', ok: { 200: ApiErrorSchema }, errors: [] } as const;
    expect(frameworkErrors({ ...base, method: 'GET' }).sort()).toEqual([500, 503]);
    expect(frameworkErrors({ ...base, method: 'GET', query: ApiErrorSchema }).sort()).toEqual([
      400, 500, 503,
    ]);
    expect(frameworkErrors({ ...base, method: 'POST', body: ApiErrorSchema }).sort()).toEqual([
      400, 403, 413, 415, 500, 503,
    ]);
    expect(frameworkErrors({ ...base, method: 'DELETE' }).sort()).toEqual([403, 500, 503]);
    const declared = route({ ...base, method: 'GET', errors: [404] });
    expect(Object.keys(declared.responses).map(Number).sort()).toEqual([200, 404, 500, 503]);
  });
});

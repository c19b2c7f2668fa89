/**
 * The MedVault API client: what the web UI, the demo and the console import.
 *
 * ```ts
 * const api = createClient({ baseUrl: '', credentials: { kind: 'cookie' } });
 * const record = await api.call('getRecord', { params: { id } });
 * const queue = await api.all('prescriptionQueue', { query: { status: 'pending' } });
 * ```
 *
 * Every route is named in the table (`API_ROUTES`, src/contract/api/routes.ts); inputs and
 * outputs are typed from its schemas and every answer is checked against them.
 */
export {
  createClient,
  CSRF_HEADER,
  MedVaultClient,
  routePath,
  type ClientOptions,
  type Credentials,
} from './client.js';
export { ApiError, ContractMismatch, NetworkError } from './errors.js';
export { needsSecondFactor, SecondFactorRequired, sessionOf } from './sessions.js';
export { downloadAttachment, fileNameOf, uploadAttachment, type DownloadedFile } from './files.js';
export {
  checkAnswer,
  responseSchema,
  retryAfterSeconds,
  toApiError,
  type CheckedAnswer,
} from './validate.js';
export type {
  InputArgs,
  JsonRouteName,
  PagedRouteName,
  PageItem,
  RouteInput,
  RouteOf,
  RouteOutput,
  RouteSuccess,
} from './types.js';
export { API_ROUTES, ROUTE_NAMES, routeNamed, type ApiRoutes, type RouteName } from '../api/routes.js';
export type { ApiRoute, RouteDeclaration } from '../api/route.js';
export type { ErrorCode } from '../errors.js';

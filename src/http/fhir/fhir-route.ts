import type { FastifyReply, FastifyRequest } from 'fastify';
import { FHIR_BASE, FHIR_CONTENT_TYPE, type FhirRoute } from '../../contract/fhir/routes.js';
import type { App } from '../app-type.js';

/** A FHIR resource to send as application/fhir+json, or the reply when the handler sent its own answer. */
export type FhirHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<object>;

const FHIR_JSON = /application\/(fhir\+json|json\+fhir|json)\b/i;
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);

/**
 * Whether a Binary read asks for the FHIR resource (base64 `data`) rather than the bytes as their
 * own type: `_format=json` (or a JSON media type), or an Accept naming a JSON type (FHIR's rule
 * for Binary: the native content unless a FHIR format is asked for).
 */
export function wantsFhirJson(request: FastifyRequest): boolean {
  const format = (request.query as { _format?: string } | undefined)?._format;
  if (format !== undefined) return JSON_FORMATS.has(format.toLowerCase());
  return FHIR_JSON.test(request.headers.accept ?? '');
}

/** The base URL links and fullUrls are built from, as the caller reached us. */
export const baseUrl = (request: FastifyRequest): string =>
  `${request.protocol}://${request.host}${FHIR_BASE}`;

/**
 * Registers one route of the FHIR route table (src/contract/fhir/routes.ts) — the FHIR API's
 * counterpart of contractRoute: its method and path, params and query validated with the table's
 * schemas (unknown search parameters are refused, never ignored), the answer sent as
 * `application/fhir+json`. Answers are FHIR resources, whose shape is the standard's (the tests
 * validate them against the R4 StructureDefinitions), so no response schema of ours filters them.
 * Kept out of the OpenAPI document: /fhir/R4/metadata describes these routes.
 * `app` is the FHIR plugin, registered with the prefix FHIR_BASE.
 */
export function fhirRoute(
  app: App,
  route: FhirRoute,
  handler: FhirHandler,
  options: { bodyLimit?: number } = {},
): void {
  app.route({
    method: route.method,
    url: route.path.slice(FHIR_BASE.length),
    schema: {
      hide: true,
      ...(route.params === undefined ? {} : { params: route.params }),
      ...(route.query === undefined ? {} : { querystring: route.query }),
    },
    config: { fhir: route },
    ...options,
    // As the JSON attachment download: a HEAD would open, verify and ledger a read that never happens.
    ...(route.resource === 'Binary' ? { exposeHeadRoute: false } : {}),
    handler: async (request, reply) => {
      const body = await handler(request, reply);
      // A handler that answered itself (Binary's native bytes) hands back the reply.
      if (body === reply) return reply;
      return reply.type(FHIR_CONTENT_TYPE).send(JSON.stringify(body));
    },
  });
}

import type { AppContext } from '../../app/context.js';
import { capabilityStatement, type SearchQuery } from '../../app/fhir/index.js';
import {
  FHIR_BASE,
  FHIR_RESOURCE_TYPES,
  FHIR_ROUTES,
  type FhirIdParams,
} from '../../contract/fhir/routes.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { contentDisposition } from '../routes/attachments.js';
import { baseUrl, fhirRoute, wantsFhirJson } from './fhir-route.js';
import { fhirErrorHandler, fhirNotFound } from './operation-outcome.js';

const route = (name: string) => {
  const r = FHIR_ROUTES[name];
  if (r === undefined) throw new Error(`no FHIR route ${name}`);
  return r;
};

/**
 * The FHIR R4 API under /fhir/R4 (docs/fhir.md): thin, as every route module — each handler
 * calls the FHIR service with the request's access scope. Errors are OperationOutcomes (its own
 * error and not-found handlers, inside this plugin only); `application/fhir+json` bodies parse.
 */
export async function registerFhir(app: App, ctx: AppContext): Promise<void> {
  const started = new Date().toISOString();
  await app.register(
    async (fhir) => {
      fhir.setErrorHandler(fhirErrorHandler);
      fhir.setNotFoundHandler(fhirNotFound);
      fhir.addContentTypeParser(
        'application/fhir+json',
        { parseAs: 'string' },
        fhir.getDefaultJsonParser('error', 'error'),
      );
      const { api } = ctx.fhir;
      fhirRoute(fhir, route('metadata'), async (request) => capabilityStatement(baseUrl(request), started));
      for (const type of FHIR_RESOURCE_TYPES) {
        fhirRoute(fhir, route(`read${type}`), async (request) =>
          api.read(requireScope(request), type, (request.params as FhirIdParams).id),
        );
        fhirRoute(fhir, route(`search${type}`), async (request) =>
          api.search(requireScope(request), type, request.query as SearchQuery, baseUrl(request)),
        );
      }
      fhirRoute(fhir, route('everything'), async (request) =>
        api.everything(requireScope(request), (request.params as FhirIdParams).id, baseUrl(request)),
      );
      fhirRoute(fhir, route('readBinary'), async (request, reply) => {
        const scope = requireScope(request);
        const { id } = request.params as FhirIdParams;
        if (wantsFhirJson(request)) return api.binary(scope, id);
        // The bytes as their own type: exactly the JSON API's attachment download.
        const { attachment, disposition, content } = await api.binaryContent(scope, id);
        return reply
          .header('content-type', attachment.contentType)
          .header('content-length', String(attachment.size))
          .header('content-disposition', contentDisposition(disposition, attachment.fileName))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(content);
      });
      fhirRoute(fhir, route('searchAuditEvent'), async (request) =>
        api.auditEvents(requireScope(request), request.query as SearchQuery, baseUrl(request)),
      );
      fhirRoute(
        fhir,
        route('importBundle'),
        async (request) =>
          ctx.fhir.importer.import(requireScope(request), (request.params as FhirIdParams).id, request.body),
        // A bundle may carry an image in base64 (4/3 of its size) besides its records.
        {
          bodyLimit: Math.max(
            ctx.config.bodyLimit,
            Math.ceil((ctx.config.attachmentLimitBytes * 4) / 3) + 1_048_576,
          ),
        },
      );
    },
    { prefix: FHIR_BASE },
  );
}

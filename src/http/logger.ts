import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../config/config.js';
import { scrub } from './log-scrub.js';

export { REDACTED_FIELDS } from './log-scrub.js';

/** The path of a URL without its query string: queries may carry search terms. */
export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** What the request serializer reads: a FastifyRequest, or a raw IncomingMessage. */
interface LoggedRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly ip?: string | undefined;
}

/**
 * What is logged of a request: method, path (query dropped), remote address. No headers, no body.
 */
function serializeRequest(request: LoggedRequest): { method?: string; url?: string; remoteAddress?: string } {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : pathOnly(request.url),
    remoteAddress: request.ip,
  };
}

function serializeResponse(reply: { readonly statusCode: number }): { statusCode: number } {
  return { statusCode: reply.statusCode };
}

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/**
 * Fastify logger options: pino at the configured level with MedVault's redaction and
 * serializers. `overrides` (e.g. a `stream` in tests) is merged in, but can never switch off
 * redaction or the body-free serializers.
 *
 * Redaction is `scrub` as pino's log formatter (and bindings formatter), not pino's `redact`
 * paths: 60-odd wildcard paths cost about 12% of the CPU of a `/healthz` request, where one walk
 * of a small log object that finds nothing allocates nothing (docs/architecture.md, "Request
 * path: where the time goes"). The formatter runs before the serializers, whose output is safe
 * by construction (method, path, address; status).
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>, overrides: object = {}): LoggerOptions {
  return {
    level: config.logLevel,
    ...overrides,
    formatters: { log: scrub, bindings: scrub },
    serializers: { req: serializeRequest, res: serializeResponse },
  };
}

/**
 * Fastify's own request logging is off (`disableRequestLogging`); this is its replacement: ONE
 * line per request, "request completed" with method, path, status and time, at `debug`.
 *
 * Decision: at `info` a request that succeeds writes no line. Every read or write of patient
 * data is already a ledger entry (who, what, when, outcome), so an access log at `info` repeated
 * it at about 10% of the CPU of a small request; refusals (4xx, at `info`), failures (5xx,
 * `warn`/`error`) and slow-client cuts are still logged by the error mapper and the guards, each
 * line carrying the request id (`reqId`), which the client sees as `x-request-id`.
 */
export function registerRequestLog(app: FastifyInstance): void {
  // A disabled level is pino's no-op function: at `info` this costs one call per request.
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  });
}

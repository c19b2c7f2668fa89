import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config/config.js';

/**
 * Field names whose values are credentials or patient identifiers. Any logged object carrying
 * one of them, at the top level or nested (up to three levels), has the value replaced by
 * "[redacted]". Request and response bodies are never logged at all; this list is the second
 * line of defence for code that logs an object it should not have.
 */
export const REDACTED_FIELDS = [
  // credentials
  'password',
  'newPassword',
  'currentPassword',
  'pin',
  'newPin',
  'recoveryCode',
  'token',
  'signature',
  'privateKey',
  'masterKey',
  // patient identifiers and search terms (a keyword is a diagnosis)
  'ssn',
  'fullName',
  'name',
  'dateOfBirth',
  'keyword',
] as const;

/** Headers that carry session tokens. */
const REDACTED_HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
];

/** Every redaction path handed to pino. */
export const REDACT_PATHS: readonly string[] = [
  ...REDACTED_HEADER_PATHS,
  ...REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

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
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>, overrides: object = {}): LoggerOptions {
  return {
    level: config.logLevel,
    ...overrides,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    serializers: { req: serializeRequest, res: serializeResponse },
  };
}

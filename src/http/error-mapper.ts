import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, storeFailureError } from '../app/errors.js';
import { ERROR_CATALOGUE, STATUS_BY_KIND, statusOf, type ErrorCode } from '../contract/errors.js';
import { apiError } from './api-error-schema.js';
import { markErrorCode } from './error-code-mark.js';

export { STATUS_BY_KIND };

interface Mapped {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

/** A catalogue code with its status and default message (src/contract/errors.ts). */
const mapped = (code: ErrorCode, message: string = ERROR_CATALOGUE[code].message): Mapped => ({
  status: statusOf(code),
  code,
  message,
});

/** Fastify's own request errors, with messages we write ourselves (theirs name internals). */
const FRAMEWORK_ERRORS: Readonly<Record<string, Mapped>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: mapped('malformed_json'),
  FST_ERR_CTP_EMPTY_JSON_BODY: mapped('malformed_json', 'The JSON body is empty.'),
  FST_ERR_CTP_BODY_TOO_LARGE: mapped('payload_too_large'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: mapped(
    'invalid_input',
    'The body length does not match Content-Length.',
  ),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: mapped('unsupported_media_type'),
};

/** Generic texts for other client errors raised by the framework or its plugins. */
const GENERIC_CLIENT_ERRORS: Readonly<Record<number, Mapped>> = {
  400: mapped('invalid_input'),
  403: mapped('forbidden', 'This is not allowed.'),
  404: mapped('not_found'),
  405: mapped('method_not_allowed'),
  406: mapped('not_acceptable'),
  413: mapped('payload_too_large'),
  415: mapped('unsupported_media_type'),
  416: mapped('range_not_satisfiable'),
  429: mapped('rate_limited', 'Too many requests.'),
};

const INTERNAL: Mapped = mapped('internal');
const INTERNAL_NOT_FOUND: Mapped = mapped('not_found');

/**
 * Any Error, seen as one Fastify or a plugin may have raised: such errors carry `code`,
 * `statusCode` and, for schema failures, `validation`; all optional.
 */
function isFrameworkError(error: unknown): error is Partial<FastifyError> & Error {
  return error instanceof Error;
}

/** "body/ssn must match pattern …", "body must have required property 'pin'": names the field. */
function validationMessage(error: Partial<FastifyError>): string {
  const first = error.validation?.[0];
  if (first === undefined) return 'The request is invalid.';
  const where = `${error.validationContext ?? 'request'}${first.instancePath}`;
  return `${where} ${first.message ?? 'is invalid'}`;
}

/** Turns any thrown value into a status and a client-safe body. Pure; exported for tests. */
export function mapError(thrown: unknown): Mapped {
  const error = storeFailureError(thrown) ?? thrown;
  if (error instanceof AppError) {
    const base = { status: STATUS_BY_KIND[error.kind], code: error.code, message: error.message };
    return error.retryAfterSeconds === undefined
      ? base
      : { ...base, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (!isFrameworkError(error)) return INTERNAL;
  if (error.validation !== undefined) {
    return mapped('invalid_input', validationMessage(error));
  }
  const known = error.code === undefined ? undefined : FRAMEWORK_ERRORS[error.code];
  if (known !== undefined) return known;
  // A client error raised by the framework or a plugin keeps its status; the text is always ours,
  // so no library message (which may name internals or echo input) reaches the client.
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const generic = GENERIC_CLIENT_ERRORS[status] ?? mapped('bad_request');
    return { ...generic, status };
  }
  return INTERNAL;
}

/** Error handler: the mapped status and `{error:{code,message}}`; unexpected errors logged here. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(error);
  markErrorCode(request, mapped.code);
  if (mapped === INTERNAL) {
    // The full error (stack included) goes to the server log only, never to the client.
    request.log.error({ err: error }, 'unhandled error');
  } else if (mapped.status >= 500) {
    request.log.warn({ code: mapped.code, statusCode: mapped.status }, 'request failed');
  } else {
    request.log.info({ code: mapped.code, statusCode: mapped.status }, 'request refused');
  }
  if (mapped.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(Math.max(0, Math.ceil(mapped.retryAfterSeconds))));
  }
  return reply
    .code(mapped.status)
    .type('application/json; charset=utf-8')
    .send(apiError(mapped.code, mapped.message));
}

/** Unknown routes: 404 with the same error shape. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  markErrorCode(request, INTERNAL_NOT_FOUND.code);
  return reply
    .code(404)
    .type('application/json; charset=utf-8')
    .send(apiError(INTERNAL_NOT_FOUND.code, INTERNAL_NOT_FOUND.message));
}

/** Installs the error handler on the root instance (child plugins inherit it). */
export function registerErrorMapper(app: FastifyInstance): void {
  app.setErrorHandler(errorHandler);
}

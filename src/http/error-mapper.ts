import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorKind } from '../app/errors.js';
import { apiError } from './api-error-schema.js';

/**
 * THE one place where an error becomes an HTTP status (STYLE.md: "errors as values with one
 * mapping"). Services throw AppError by kind; nothing else in src/http picks a status for them.
 */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  integrity: 422,
  rate_limited: 429,
  unavailable: 503,
};

interface Mapped {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

/** Fastify's own request errors, with messages we write ourselves (theirs name internals). */
const FRAMEWORK_ERRORS: Readonly<Record<string, Mapped>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    message: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The JSON body is empty.' },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_input',
    message: 'The body length does not match Content-Length.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'This content type is not accepted here.',
  },
};

/** Generic texts for other client errors raised by the framework or its plugins. */
const GENERIC_CLIENT_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'invalid_input', message: 'The request is invalid.' },
  403: { code: 'forbidden', message: 'This is not allowed.' },
  404: { code: 'not_found', message: 'Not found.' },
  405: { code: 'method_not_allowed', message: 'This method is not allowed here.' },
  406: { code: 'not_acceptable', message: 'No acceptable representation.' },
  413: { code: 'payload_too_large', message: 'The request body is too large.' },
  415: { code: 'unsupported_media_type', message: 'This content type is not accepted here.' },
  416: { code: 'range_not_satisfiable', message: 'The requested range cannot be served.' },
  429: { code: 'rate_limited', message: 'Too many requests.' },
};

const INTERNAL: Mapped = { status: 500, code: 'internal', message: 'An unexpected error occurred.' };

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
export function mapError(error: unknown): Mapped {
  if (error instanceof AppError) {
    const base = { status: STATUS_BY_KIND[error.kind], code: error.code, message: error.message };
    return error.retryAfterSeconds === undefined
      ? base
      : { ...base, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (!isFrameworkError(error)) return INTERNAL;
  if (error.validation !== undefined) {
    return { status: 400, code: 'invalid_input', message: validationMessage(error) };
  }
  const known = error.code === undefined ? undefined : FRAMEWORK_ERRORS[error.code];
  if (known !== undefined) return known;
  // A client error raised by the framework or a plugin keeps its status; the text is always ours,
  // so no library message (which may name internals or echo input) reaches the client.
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const generic = GENERIC_CLIENT_ERRORS[status] ?? {
      code: 'bad_request',
      message: 'The request was refused.',
    };
    return { status, ...generic };
  }
  return INTERNAL;
}

/** Error handler: the mapped status and `{error:{code,message}}`; unexpected errors logged here. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(error);
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
export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).type('application/json; charset=utf-8').send(apiError('not_found', 'Not found.'));
}

/** Installs the error handler on the root instance (child plugins inherit it). */
export function registerErrorMapper(app: FastifyInstance): void {
  app.setErrorHandler(errorHandler);
}

/**
 * Errors of the FHIR routes as OperationOutcome resources. The status, the catalogue code and the
 * message come from the one error mapping (../error-mapper.ts, `mapError`); this file only says
 * them in FHIR: the issue type for the status, and our code as the issue's detail.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FHIR_CONTENT_TYPE } from '../../contract/fhir/routes.js';
import { mapError } from '../error-mapper.js';

export const ERROR_CODE_SYSTEM = 'https://medvault.example.org/fhir/error-code';

/** FHIR's IssueType (http://hl7.org/fhir/issue-type) for each status we answer. */
const ISSUE_TYPE: Readonly<Record<number, string>> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
  503: 'transient',
};

export interface OperationOutcomeBody {
  readonly resourceType: 'OperationOutcome';
  readonly issue: ReadonlyArray<{
    severity: 'error';
    code: string;
    details: { coding: Array<{ system: string; code: string }>; text: string };
    expression?: string[];
  }>;
}

export function operationOutcome(
  status: number,
  code: string,
  message: string,
  expression?: string,
): OperationOutcomeBody {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: ISSUE_TYPE[status] ?? (status >= 500 ? 'exception' : 'invalid'),
        details: { coding: [{ system: ERROR_CODE_SYSTEM, code }], text: message },
        ...(expression === undefined ? {} : { expression: [expression] }),
      },
    ],
  };
}

/** The error handler of the FHIR routes: the mapped status, an OperationOutcome body. */
export function fhirErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(error);
  if (mapped.status >= 500) request.log.error({ err: error }, 'FHIR request failed');
  else request.log.info({ code: mapped.code, statusCode: mapped.status }, 'FHIR request refused');
  if (mapped.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(Math.max(0, Math.ceil(mapped.retryAfterSeconds))));
  return reply
    .code(mapped.status)
    .type(FHIR_CONTENT_TYPE)
    .send(operationOutcome(mapped.status, mapped.code, mapped.message));
}

/** Unknown paths under the FHIR base: 404 OperationOutcome. */
export function fhirNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .type(FHIR_CONTENT_TYPE)
    .send(operationOutcome(404, 'not_found', 'No such resource.'));
}

import type { FastifyRequest } from 'fastify';
import type { ErrorCode } from '../contract/errors.js';

/** The error code a request was answered with, noted by the error mapper for /metrics. */
const codes = new WeakMap<FastifyRequest, ErrorCode>();

export function markErrorCode(request: FastifyRequest, code: ErrorCode): void {
  codes.set(request, code);
}

export function errorCodeOf(request: FastifyRequest): ErrorCode | undefined {
  return codes.get(request);
}

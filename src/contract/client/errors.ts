import type { ErrorCode } from '../errors.js';
import type { RouteName } from '../api/routes.js';

/**
 * What a call can fail with. The server said no: {@link ApiError}, with the catalogue code.
 * The answer does not fit the contract: {@link ContractMismatch}, naming the route and the
 * field — never a silently dropped row or a guessed value. No answer at all: {@link NetworkError}.
 */

/** The server answered with an error of the catalogue (`{error:{code,message}}`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly route: RouteName,
    readonly status: number,
    /** The stable code (src/contract/errors.ts, docs/errors.md). */
    readonly code: ErrorCode,
    /** The server's message: safe to show. */
    message: string,
    /** Seconds to wait, from Retry-After (rate limits, lockouts, an exhausted privacy budget). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** An answer that does not fit its route's contract: an undeclared status, or a body off its schema. */
export class ContractMismatch extends Error {
  override readonly name = 'ContractMismatch';
  constructor(
    readonly route: RouteName,
    readonly status: number,
    /** Where in the answer: a JSON pointer into the body (`/records/3/title`), or `(status)`, `(body)`. */
    readonly field: string,
    /** What is wrong there. */
    readonly problem: string,
  ) {
    super(`${route} answered ${status} off its contract: ${field} ${problem}`);
  }
}

/** The server could not be reached (or the connection broke before an answer). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly route: RouteName,
    override readonly cause: unknown,
  ) {
    super(`${route}: the server could not be reached`);
  }
}

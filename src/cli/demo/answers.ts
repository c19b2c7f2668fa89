import { ApiError, type CheckedAnswer, type RouteName } from '../../contract/client/index.js';

/**
 * How the attack simulation reads answers it expects to be refusals: the status and the
 * catalogue code, whether the request went through or not.
 */
export interface Seen {
  readonly status: number;
  /** The error code, or '' for a success. */
  readonly code: string;
  /** The success body (to look for leaked content), or undefined for a refusal. */
  readonly body: unknown;
  /** Retry-After of a refusal, in seconds. */
  readonly retryAfter?: number | undefined;
}

/** What an answer came to. */
export function seen<N extends RouteName>(answer: CheckedAnswer<N>): Seen {
  const a = answer as { ok: true; status: number; body: unknown } | { ok: false; error: ApiError };
  return a.ok
    ? { status: a.status, code: '', body: a.body }
    : { status: a.error.status, code: a.error.code, body: undefined, retryAfter: a.error.retryAfterSeconds };
}

/** Runs a call that throws ApiError on a refusal (file downloads); a success is `okStatus`. */
export async function settle(call: () => Promise<unknown>, okStatus = 200): Promise<Seen> {
  try {
    return { status: okStatus, code: '', body: await call() };
  } catch (err) {
    if (err instanceof ApiError)
      return { status: err.status, code: err.code, body: undefined, retryAfter: err.retryAfterSeconds };
    throw err;
  }
}

/** "404 not_found", "200". */
export const describeSeen = (s: Seen): string => (s.code === '' ? String(s.status) : `${s.status} ${s.code}`);

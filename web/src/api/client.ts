/**
 * The one way the UI talks to the server: JSON under `/api/v1`, same-origin cookies.
 *
 * CSRF: every request that is not GET/HEAD carries `X-MedVault-CSRF: 1`. A cross-site page cannot
 * add a custom header without a CORS preflight, which the server never approves, so the server
 * rejects cookie-authenticated writes that lack this header (DESIGN.md "HTTP API"; issue 4
 * "CSRF protection on cookie-authenticated writes"). The cookie is also SameSite=Strict; the
 * header is the second, independent line of defence.
 *
 * The session token is never read or stored here: the HttpOnly cookie carries it, so script
 * injected into the page could not steal it.
 */

export const API_BASE = '/api/v1';
export const CSRF_HEADER = 'X-MedVault-CSRF';

/** An error the server answered with (`{error:{code,message}}`), or a failure to reach it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server's stable error code, e.g. "invalid_credentials"; synthesized when absent. */
    readonly code: string,
    message: string,
    /** From Retry-After on 429 answers (rate limits and lockouts). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The message shown when an error answer lacks the documented `{error:{code,message}}` body. */
export function fallbackMessage(status: number): string {
  if (status === 0) return 'Could not reach the MedVault server. Check your connection and try again.';
  if (status === 401) return 'You are not logged in.';
  if (status === 403) return 'Your role may not do this.';
  if (status === 404) return 'Not available yet.';
  if (status === 413) return 'That request is too large.';
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500) return `The server had a problem (HTTP ${status}). Try again later.`;
  return `The request failed (HTTP ${status}).`;
}

/** Parses the documented error body; anything else yields a status-based fallback. */
export function parseErrorBody(status: number, body: unknown, retryAfterSeconds?: number): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const { code, message } = body.error;
    if (typeof code === 'string' && typeof message === 'string' && message.length > 0) {
      return new ApiError(status, code, message, retryAfterSeconds);
    }
  }
  return new ApiError(status, `http_${status}`, fallbackMessage(status), retryAfterSeconds);
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Sends one request and returns the parsed JSON body (or `undefined` for an empty body).
 * Throws {@link ApiError} for network failures and non-2xx answers. Callers narrow the result
 * with their own shape checks (see ./auth.ts): the server is not trusted to be well-formed.
 */
export async function apiRequest(method: Method, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers[CSRF_HEADER] = '1';
  // Only declare JSON when there is a body: Fastify rejects an empty body sent as JSON.
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', fallbackMessage(0));
  }

  const parsed = await readJson(response);
  if (!response.ok) {
    // A 401 outside /auth/ means the session ended (idle or absolute timeout, logout elsewhere,
    // account disabled). Login routes answer 401 for wrong credentials: that is not a lost session.
    if (response.status === 401 && !path.startsWith('/auth/')) notifySessionLost();
    throw parseErrorBody(response.status, parsed, retryAfter(response));
  }
  return parsed;
}

const sessionLostListeners = new Set<() => void>();

/** Calls `listener` whenever the server says the session is gone; returns the unsubscribe. */
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

function notifySessionLost(): void {
  for (const listener of sessionLostListeners) listener();
}

export const apiGet = (path: string): Promise<unknown> => apiRequest('GET', path);
export const apiPost = (path: string, body?: unknown): Promise<unknown> => apiRequest('POST', path, body);
export const apiDelete = (path: string): Promise<unknown> => apiRequest('DELETE', path);

/** A path segment from an id, escaped so an id can never change the route it names. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A user-facing sentence for any thrown value, including a wait hint for 429 answers. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const wait = error.retryAfterSeconds !== undefined ? ` Try again in ${error.retryAfterSeconds} s.` : '';
    return `${error.message}${wait}`;
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

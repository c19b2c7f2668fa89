/**
 * The one way the UI talks to the server: the contract's typed client (src/contract/client),
 * one instance, with the same-origin session cookie. Every answer is checked against the
 * contract before a page reads it: an answer that does not fit is a {@link ContractMismatch} the
 * page shows, never a guessed field or a dropped row.
 *
 * CSRF: the client sends `x-medvault-csrf: 1` on every write. A cross-site page cannot add a
 * custom header without a CORS preflight, which the server never approves, so the server
 * rejects cookie-authenticated writes that lack it (DESIGN.md "HTTP API"). The cookie is also
 * SameSite=Strict; the header is the second, independent line of defence.
 *
 * The session token is never read or stored here: the HttpOnly cookie carries it, so script
 * injected into the page could not steal it.
 */
import {
  API_ROUTES,
  ApiError,
  ContractMismatch,
  createClient,
  CSRF_HEADER,
  NetworkError,
  type RouteName,
} from '../../../src/contract/client/index.js';

export { ApiError, ContractMismatch, CSRF_HEADER, NetworkError };
export type { PageItem, RouteInput, RouteName, RouteOutput } from '../../../src/contract/client/index.js';

/** True for the login, logout and PIN routes: their 401 is a wrong credential, not a lost session. */
function isAuthRoute(route: RouteName): boolean {
  return API_ROUTES[route].path.startsWith('/api/v1/auth/');
}

const sessionLostListeners = new Set<() => void>();

/** Calls `listener` whenever the server says the session is gone; returns the unsubscribe. */
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

/**
 * The client every page module uses. A 401 outside `/auth/` means the session ended (idle or
 * absolute timeout, logout elsewhere, account disabled): the app goes back to its login page.
 */
export const api = createClient({
  credentials: { kind: 'cookie' },
  onUnauthenticated: (error) => {
    if (isAuthRoute(error.route)) return;
    for (const listener of sessionLostListeners) listener();
  },
});

/** The upload was cancelled by the user (not an error the server gave). */
export class UploadCancelled extends Error {
  override readonly name = 'UploadCancelled';
  constructor() {
    super('The upload was cancelled.');
  }
}

/** True when `error` is the server's answer `status` (e.g. 404 for "not there"). */
export function isStatus(error: unknown, status: number): error is ApiError {
  return error instanceof ApiError && error.status === status;
}

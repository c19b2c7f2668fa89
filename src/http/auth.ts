import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessScope } from '../app/access/index.js';
import { AppError, unauthenticated } from '../app/errors.js';
import type { App } from './app-type.js';
import { SESSION_COOKIE_NAME } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The logged-in caller's access scope (one per request, bound to the request's time), or
     * null. Set before any handler runs; services decide everything through it.
     */
    scope: AccessScope | null;
    /** The session token the request carried (for logout), or null. */
    sessionToken: string | null;
  }
}

/** Header the UI sends on every write; a cross-site form or image cannot set it. */
export const CSRF_HEADER = 'x-medvault-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type ResolveScope = (token: string) => Promise<AccessScope | null>;

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header.trim());
  return match?.[1] ?? null;
}

/**
 * Resolves the caller of every request from `Authorization: Bearer` or the session cookie.
 * A cookie-authenticated write must also carry the CSRF header (SameSite=Strict is the first
 * defence; the header is the second, for browsers or proxies that ignore SameSite).
 * Authentication only: the scope it builds is handed to the services, and what the caller may
 * do is decided through it (src/app/access).
 */
export async function registerAuth(app: App, resolveScope: ResolveScope): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('scope', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request) => {
    const bearer = bearerToken(request);
    const fromCookie = bearer === null ? (request.cookies[SESSION_COOKIE_NAME] ?? null) : null;
    const token = bearer ?? fromCookie;
    if (token === null) return;
    if (fromCookie !== null && !SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== '1') {
      throw new AppError('csrf', `Cookie-authenticated writes need the ${CSRF_HEADER}: 1 header.`);
    }
    request.sessionToken = token;
    request.scope = await resolveScope(token);
  });
}

/** The logged-in caller's access scope, or a 401. */
export function requireScope(request: FastifyRequest): AccessScope {
  if (request.scope === null) throw unauthenticated();
  return request.scope;
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure under TLS, path /. */
export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  expiresAt: number,
  secure: boolean,
): void {
  void reply.setCookie(SESSION_COOKIE_NAME, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(SESSION_COOKIE_NAME, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

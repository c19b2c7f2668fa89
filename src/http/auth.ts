import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../app/actor.js';
import { AppError, unauthenticated } from '../app/errors.js';
import type { App } from './app-type.js';
import { SESSION_COOKIE_NAME } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in caller, or null. Set before any handler runs. */
    actor: Actor | null;
    /** The session token the request carried (for logout), or null. */
    sessionToken: string | null;
  }
}

/** Header the UI sends on every write; a cross-site form or image cannot set it. */
export const CSRF_HEADER = 'x-medvault-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type ResolveActor = (token: string) => Promise<Actor | null>;

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
 * Authentication only: what the caller may do is decided by the services in src/app.
 */
export async function registerAuth(app: App, resolveActor: ResolveActor): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('actor', null);
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
    request.actor = await resolveActor(token);
  });
}

/** The logged-in caller, or a 401. */
export function requireActor(request: FastifyRequest): Actor {
  if (request.actor === null) throw unauthenticated();
  return request.actor;
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

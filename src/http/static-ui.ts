import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFoundHandler } from './error-mapper.js';
import { pathOnly } from './logger.js';

/** True for the JSON API's namespace, which never falls back to the UI. */
export function isApiPath(urlPath: string): boolean {
  return urlPath === '/api' || urlPath.startsWith('/api/');
}

/**
 * A client-side route of the single-page app: a GET/HEAD outside /api whose last segment has no
 * file extension. A missing `/assets/x.js` stays a 404 instead of being answered with HTML.
 */
export function isSpaRoute(method: string, urlPath: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (isApiPath(urlPath)) return false;
  const last = urlPath.slice(urlPath.lastIndexOf('/') + 1);
  return !last.includes('.');
}

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * Vite names built assets by content hash under /assets/, so they may be cached for good;
 * everything else (index.html above all) is revalidated so a new build is picked up at once.
 */
function cacheHeaders(root: string): (res: HeaderSink, filePath: string) => void {
  return (res, filePath) => {
    const immutable = path.relative(root, filePath).split(path.sep)[0] === 'assets';
    res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
}

/**
 * Serves the built UI from `webRoot` and answers unknown non-API GET paths with index.html so
 * the browser router can take over. Installs the not-found handler: SPA fallback or JSON 404.
 */
export async function registerStaticUi(app: FastifyInstance, webRoot: string): Promise<void> {
  const root = path.resolve(webRoot);
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    // Never serve .env, .git and the like, should they ever land in the build folder.
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: cacheHeaders(root),
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    if (isSpaRoute(request.method, pathOnly(request.url))) return reply.code(200).sendFile('index.html');
    return notFoundHandler(request, reply);
  });
}

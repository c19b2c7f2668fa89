import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

type Directives = Record<string, string[]>;

/**
 * Content-Security-Policy for the React single-page app served from this origin. Vite emits
 * only external scripts and stylesheets, so nothing inline is allowed: an injected `<script>`
 * or `onclick=` cannot run. React's `style={…}` props go through the CSSOM, which CSP does not
 * block, so `style-src 'self'` suffices. `img-src` also allows `data:` (small inlined images,
 * swagger-ui's icons) and `blob:` (attachments fetched and shown by the browser).
 * The /api/docs page has its own policy, below.
 */
export function contentSecurityPolicy(tls: boolean): Directives {
  const directives: Directives = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  };
  // Only over TLS: on plain http (local development) this would break every sub-resource.
  if (tls) directives['upgrade-insecure-requests'] = [];
  return directives;
}

/**
 * swagger-ui's standalone preset inserts one inline `<style>` (colours of its top-bar logo SVG).
 * Checked in Chromium: with the policy above that is the page's only CSP violation. Rather than
 * 'unsafe-inline', the docs page allows exactly that text by hash; test/http checks the hash
 * against the installed swagger-ui so an upgrade that changes it is noticed.
 */
export const SWAGGER_UI_INLINE_STYLE_HASHES = ["'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"];

/** The /api/docs policy: the app's, plus swagger-ui's one inline style by hash. */
export function docsContentSecurityPolicy(tls: boolean): Directives {
  const directives = contentSecurityPolicy(tls);
  return {
    ...directives,
    'style-src': [...(directives['style-src'] ?? []), ...SWAGGER_UI_INLINE_STYLE_HASHES],
  };
}

/** Serialises directives as a Content-Security-Policy header value. */
export function formatCsp(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** One year, as the HSTS preload list expects; set only when this server itself speaks TLS. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Security headers on every response (errors and 404s included): CSP above, X-Frame-Options
 * DENY, nosniff, Referrer-Policy no-referrer, HSTS only over TLS (an HSTS header on plain http
 * is ignored by browsers and would lock a developer's localhost to https once TLS is tried).
 * API responses are also marked `Cache-Control: no-store`: they carry medical data.
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { tls: boolean }): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(opts.tls) },
    strictTransportSecurity: opts.tls ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      request.url.startsWith('/api/') &&
      !request.url.startsWith('/api/docs') &&
      !reply.hasHeader('cache-control')
    ) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}

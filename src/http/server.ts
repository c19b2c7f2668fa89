import fastify, { LogController, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config/config.js';
import type { AppContext } from '../app/context.js';
import { registerApi } from './routes/api.js';
import { registerFhir } from './fhir/routes.js';
import { registerDrainGuard } from './draining.js';
import { notFoundHandler, registerErrorMapper } from './error-mapper.js';
import { loggerOptions, registerRequestLog } from './logger.js';
import { registerOpenApi } from './openapi.js';
import { generateRequestId, registerRequestIdHeader } from './request-id.js';
import { healthRoutes } from './routes/health.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerStaticUi } from './static-ui.js';
import { readTlsFiles } from './tls.js';
import { registerWellFormedStrings } from './well-formed-strings.js';
import { registerBodyRateGuard } from './body-rate-guard.js';
import { HttpMetrics } from './metrics.js';
import { watchApp } from './metrics-app.js';
import { listenMetrics } from './metrics-listener.js';
import { metricsRoutes } from './routes/metrics.js';

export { listen } from './listen.js';
export { installGracefulShutdown } from './shutdown.js';

export type { App } from './app-type.js';
import type { App } from './app-type.js';

export interface ServerDeps {
  readonly config: Config;
  /** Resolves when the database is reachable; throws when it is not. Backs GET /readyz. */
  readonly checkReady: () => Promise<void>;
  /** Folder with the built UI (index.html); served with SPA fallback when given. */
  readonly webRoot?: string;
  /**
   * false: no logs. true or absent: pino at config.logLevel with redaction. An object: extra
   * pino options (e.g. `{ stream }`), merged in; redaction always stays on.
   */
  readonly logger?: boolean | object;
  /** The running application: when given, sessions and the /api/v1 routes are registered. */
  readonly app?: AppContext;
}

function logger(deps: Pick<ServerDeps, 'config' | 'logger'>): FastifyServerOptions['logger'] {
  if (deps.logger === false) return false;
  return loggerOptions(deps.config, deps.logger === true || deps.logger === undefined ? {} : deps.logger);
}

/**
 * Node's own slow-client limits, given when the server is created (headersTimeout and the
 * interval at which Node checks it exist only there). The interval is at most a second and at
 * most half the header deadline, so a deadline is enforced within that much of its time.
 */
function nodeTimeouts(t: Config['timeouts']): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  return {
    headersTimeout: t.headers * 1000,
    requestTimeout: t.request * 1000,
    connectionsCheckingInterval: Math.min(1000, (t.headers * 1000) / 2),
  };
}

async function createInstance(deps: Pick<ServerDeps, 'config' | 'logger'>): Promise<App> {
  const t = deps.config.timeouts;
  const options = {
    logger: logger(deps),
    // One "request completed" line per request at debug instead (registerRequestLog).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.bodyLimit,
    // Slow clients (docs/architecture.md, HTTP): headers within t.headers, a whole request
    // within t.request (generous: it carries X-ray uploads), no silent socket beyond t.idle.
    connectionTimeout: t.idle * 1000,
    keepAliveTimeout: t.keepAlive * 1000,
    requestTimeout: t.request * 1000,
    http: nodeTimeouts(t),
    genReqId: generateRequestId,
    requestIdHeader: false,
    // Behind a reverse proxy (MEDVAULT_TRUST_PROXY): the client address is the one the proxy puts
    // in X-Forwarded-For, read only from a connection coming from a listed proxy; otherwise every
    // client would share the proxy's address, and its per-address rate limits with it.
    trustProxy: deps.config.trustProxy.length > 0 ? [...deps.config.trustProxy] : false,
    // Replaced by registerDrainGuard, which answers in the MedVault error shape.
    return503OnClosing: false,
    // Unknown fields are an error (400), not silently dropped: `additionalProperties: false`
    // in a schema means what it says. Type coercion stays on, since query strings are text.
    ajv: { customOptions: { removeAdditional: false } },
  } as const;
  if (deps.config.tls === undefined) return fastify(options);
  const https = await readTlsFiles(deps.config.tls);
  // An https server has the same request and reply types as http (IncomingMessage,
  // ServerResponse); only the raw server's type differs, so routes see one App type.
  return fastify({ ...options, https: { ...https, ...nodeTimeouts(t) } }) as unknown as App;
}

/**
 * What every MedVault server has, sealed or not: the instance with its limits and TLS, the
 * error mapper, request ids, the drain guard, well-formed strings and security headers.
 */
export async function buildBase(
  deps: Pick<ServerDeps, 'config' | 'logger'>,
  metrics?: HttpMetrics,
): Promise<App> {
  const app = await createInstance(deps);
  metrics?.install(app);
  registerErrorMapper(app);
  registerRequestIdHeader(app);
  registerRequestLog(app);
  registerDrainGuard(app);
  registerBodyRateGuard(app, deps.config.timeouts.bodyRate);
  registerWellFormedStrings(app);
  await registerSecurityHeaders(app, { tls: deps.config.tls !== undefined });
  return app;
}

/** /metrics on its own listener from when the server is ready until it closes. */
function serveMetricsApart(app: App, metrics: HttpMetrics, address: { host: string; port: number }): void {
  let listener: Awaited<ReturnType<typeof listenMetrics>> | undefined;
  app.addHook('onReady', async () => {
    listener = await listenMetrics(metrics, address);
    app.log.info(`metrics on ${listener.url}`);
  });
  app.addHook('onClose', async () => {
    await listener?.close();
  });
}

/**
 * Builds (does not start) the HTTP server: security headers, the error mapper, request ids,
 * redacted logs, OpenAPI and its docs page, /healthz and /readyz, /metrics (src/http/metrics.ts:
 * with the metrics token, or on its own listener), and the UI when `webRoot` is given. Routes added to the returned instance are included in the OpenAPI document.
 * @throws ConfigError when a TLS file named by the config cannot be read.
 */
export async function buildServer(deps: ServerDeps): Promise<App> {
  const metrics = new HttpMetrics();
  const app = await buildBase(deps, metrics);
  await registerOpenApi(app, { tls: deps.config.tls !== undefined });
  await app.register(healthRoutes, { checkReady: deps.checkReady });
  const { token, address } = deps.config.metrics;
  await app.register(metricsRoutes, { metrics, ...(token === undefined ? {} : { token }) });
  if (deps.app !== undefined) {
    const rateLimitsShared = await registerApi(app, deps.app);
    await registerFhir(app, deps.app);
    watchApp(metrics.registry, deps.app, rateLimitsShared);
  }
  if (address !== undefined) serveMetricsApart(app, metrics, address);
  if (deps.webRoot !== undefined) await registerStaticUi(app, deps.webRoot);
  else app.setNotFoundHandler(notFoundHandler);
  return app;
}

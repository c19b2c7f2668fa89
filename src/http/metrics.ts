import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { App } from './app-type.js';
import { errorCodeOf } from './error-code-mark.js';

/** Route label of a request that matched no route: the raw URL is never a label. */
const UNMATCHED = '(unmatched)';

/** Seconds: from a fast cached read to a slow upload or a credential check under load. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  readonly count: { inc(): void };
  readonly latency: { observe(seconds: number): void };
}

/**
 * The HTTP metrics of one server, in a registry of its own (so several servers in one process,
 * as in tests, never mix): requests by method, route TEMPLATE (`/api/v1/patients/:id`, never the
 * URL, which would carry ids) and status; latency by method and route; refusals and failures by
 * error code (the closed catalogue); and Node's process metrics. Labels come only from these
 * closed sets, so no label can carry a patient id, SSN, name, username or token.
 *
 * Cheap on the hot path: one onResponse hook, whose label children are looked up once per
 * method/route/status and kept (a map lookup and two increments a request).
 */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'medvault_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'medvault_http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'medvault_http_errors_total',
    help: 'Error answers by MedVault error code (docs/errors.md).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly series = new Map<string, Series>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'medvault_' });
  }

  /** Counts every answer of `app` (call before routes are added). */
  install(app: App): void {
    app.addHook('onResponse', async (request, reply) => {
      this.observe(request, reply);
    });
  }

  /** The registry's content in the Prometheus text format, and its content type. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private observe(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url ?? UNMATCHED;
    const { method } = request;
    const status = reply.statusCode;
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        count: this.requests.labels(method, route, String(status)),
        latency: this.latency.labels(method, route),
      };
      this.series.set(key, series);
    }
    series.count.inc();
    series.latency.observe(reply.elapsedTime / 1000);
    if (status >= 400) {
      const code = errorCodeOf(request);
      if (code !== undefined) this.errors.labels(code).inc();
    }
  }
}

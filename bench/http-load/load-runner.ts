import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load-spec.js';

/**
 * The load process: receives one {@link LoadSpec} (or several, fired at once) over IPC, fires it
 * with autocannon, answers its {@link LoadResult}, and waits for the next. It runs apart from the server and from the
 * orchestrator so the client's own CPU does not come out of the server's.
 */
async function run(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  const body = (): string => spec.bodies[next++ % spec.bodies.length] ?? '';
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 30,
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        ...(spec.bodies.length === 0 ? {} : { setupRequest: (r) => ({ ...r, body: body() }) }),
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statuses[code] = Number(count);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
  };
}

/** Several specs at once (one server each: the client spreading its load): their sum, worst latency. */
async function runAll(specs: readonly LoadSpec[]): Promise<LoadResult> {
  const results = await Promise.all(specs.map(run));
  const statuses: Record<string, number> = {};
  for (const r of results)
    for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return {
    requestsPerSecond: results.reduce((n, r) => n + r.requestsPerSecond, 0),
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    statuses,
  };
}

process.on('message', (spec: LoadSpec | LoadSpec[]) => {
  (Array.isArray(spec) ? runAll(spec) : run(spec)).then(
    (result) => process.send?.({ ok: true, result }),
    (err: unknown) => process.send?.({ ok: false, error: String(err) }),
  );
});

import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load-spec.js';

/**
 * The load process: receives one {@link LoadSpec} over IPC, fires it with autocannon, answers
 * its {@link LoadResult}, and waits for the next. It runs apart from the server and from the
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

process.on('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send?.({ ok: true, result }),
    (err: unknown) => process.send?.({ ok: false, error: String(err) }),
  );
});

import { randomInt } from 'node:crypto';
import autocannon from 'autocannon';

/**
 * A load generator in a process of its own (the login-flood benchmark spawns it), so the server's
 * event loop measures only the server: `node dist/bench/load-client.js '<LoadJob[] as JSON>'`
 * runs the jobs at once with autocannon and prints one JSON line of {@link LoadResult}s.
 */
export interface LoadJob {
  readonly name: string;
  readonly url: string;
  /** `probe`: GET at a fixed rate (latency); `flood`: unknown-SSN logins at a fixed rate. */
  readonly kind: 'probe' | 'flood';
  readonly seconds: number;
  readonly connections: number;
  /** Requests per second (open loop: the rate does not depend on how fast the server answers). */
  readonly rate: number;
  readonly token?: string;
}

export interface LoadResult {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly total: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
}

/** A well-formed SSN from the never-issued 900–999 area: unknown to the server, a new lockout key each time. */
const unknownSsn = (): string =>
  `${randomInt(900, 1000)}-${String(randomInt(1, 100)).padStart(2, '0')}-${String(randomInt(1, 10_000)).padStart(4, '0')}`;

async function run(job: LoadJob): Promise<LoadResult> {
  const common = {
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    overallRate: job.rate,
    timeout: 30,
  };
  const result =
    job.kind === 'probe'
      ? await autocannon({
          ...common,
          ...(job.token === undefined ? {} : { headers: { authorization: `Bearer ${job.token}` } }),
        })
      : await autocannon({
          ...common,
          requests: [
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              setupRequest: (request) => ({
                ...request,
                body: JSON.stringify({ ssn: unknownSsn(), pin: '000000', password: 'flood-password-0000' }),
              }),
            },
          ],
        });
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]),
  );
  return {
    name: job.name,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    errors: result.errors,
    statuses,
  };
}

const jobs = JSON.parse(process.argv[2] ?? '[]') as LoadJob[];
const results = await Promise.all(jobs.map(run));
process.stdout.write(`${JSON.stringify(results)}\n`);

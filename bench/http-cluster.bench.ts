import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { startProgress } from '../src/cli/progress.js';
import { benchPostgresSchema } from './databases.js';
import { printTable } from './harness.js';
import { routeLoads } from './http-load/fixtures.js';
import { LoadProcess, median } from './http-load/load-process.js';
import { helloWorldSpec, type LoadResult, type LoadSpec } from './http-load/load-spec.js';
import { capCpu, cpuCapAvailable } from './http-load/cpu-cap.js';
import { NGINX, startNginx } from './http-load/nginx.js';
import {
  machineBusySeconds,
  postgresCpuSeconds,
  startHelloWorld,
  startMedVault,
  type Target,
} from './http-load/targets.js';

/**
 * Issue 17's HTTP figure: the API on PostgreSQL served by one `medvault serve` and by two side by
 * side (one database, one master key), next to a Fastify hello-world in the same run. Each round
 * measures hello-world, then every route on every arrangement:
 * - one server, hit directly (issue 16's figure);
 * - one server behind nginx (what the proxy alone costs);
 * - two servers behind nginx (round-robin, keep-alive upstream: the deployment of docs/deploy.md);
 * - two servers, the client splitting its connections between them (no proxy: the servers' own
 *   ceiling; the p99 shown is the worse of the two halves);
 * - one server, then two (client split), each capped at CAP_CORES of a core by a CPU cgroup, as
 *   servers on small machines of their own with the database elsewhere: there the servers are the
 *   bound, which an uncapped server on this 2-core machine never is (root only; skipped, saying
 *   why, elsewhere). Their "vs 1 server" is against the capped single server.
 * autocannon runs in a process of its own with the same number of connections everywhere. Medians
 * of three rounds. The CPU columns are each process's CPU time over the run's wall time (1.00 =
 * one core busy): the servers, nginx, PostgreSQL, the load generator, and the whole machine
 * (kernel included), to show where the curve flattens: a second server can only help while the
 * first leaves CPU idle.
 */

const CONNECTIONS = 16;
/** Share of a core each server gets in the capped arrangements. */
const CAP_CORES = 0.4;
const ROUTES = new Set([
  'GET /healthz',
  'doctor GET /records/:id',
  'doctor GET /patients/:id/records',
  'doctor GET /search?keyword=',
  'doctor POST /patients/:id/records',
  'patient login (argon2id)',
]);

interface Arrangement {
  readonly name: string;
  /** The URLs the client spreads its connections over (one, or one per server). */
  readonly urls: readonly string[];
  /** The MedVault servers (and the proxy) whose CPU is counted. */
  readonly servers: readonly Target[];
  readonly proxy?: Target;
  /** Each server capped at this share of a core while measured (cpu-cap.ts). */
  readonly capCores?: number;
}

interface Sample {
  readonly result: LoadResult;
  /** CPU over the run's wall time, in cores: the MedVault servers together, the proxy,
   * PostgreSQL (server and backends), the load generator, and the whole machine. */
  readonly serverCores: number;
  readonly proxyCores: number;
  readonly postgresCores: number;
  readonly clientCores: number;
  readonly machineCores: number;
}

/** The spec sent to the load process: one per URL, the connections shared out. */
function spread(spec: LoadSpec, urls: readonly string[]): LoadSpec | LoadSpec[] {
  if (urls.length === 1) return { ...spec, url: urls[0]! };
  const each = Math.ceil(spec.connections / urls.length);
  return urls.map((url) => ({ ...spec, url, connections: each }));
}

async function sample(load: LoadProcess, spec: LoadSpec | LoadSpec[], a: Arrangement): Promise<Sample> {
  const cap = a.capCores;
  const caps = cap === undefined ? [] : a.servers.map((t) => capCpu(t.pid, cap));
  try {
    return await measure(load, spec, a);
  } finally {
    for (const uncap of caps) uncap();
  }
}

async function measure(load: LoadProcess, spec: LoadSpec | LoadSpec[], a: Arrangement): Promise<Sample> {
  const read = () => ({
    servers: a.servers.reduce((n, t) => n + t.cpuSeconds(), 0),
    proxy: a.proxy?.cpuSeconds() ?? 0,
    postgres: postgresCpuSeconds(),
    client: load.cpuSeconds(),
    machine: machineBusySeconds(),
    at: process.hrtime.bigint(),
  });
  const before = read();
  const result = await load.run(spec);
  const after = read();
  const wall = Number(after.at - before.at) / 1e9;
  const cores = (k: 'servers' | 'proxy' | 'postgres' | 'client' | 'machine') => (after[k] - before[k]) / wall;
  return {
    result,
    serverCores: cores('servers'),
    proxyCores: cores('proxy'),
    postgresCores: cores('postgres'),
    clientCores: cores('client'),
    machineCores: cores('machine'),
  };
}

export async function benchHttpCluster(options: { quick: boolean }): Promise<void> {
  const seconds = options.quick ? 2 : 5;
  const rounds = 3;
  const schema = await benchPostgresSchema('bench_cluster');
  if (schema === undefined || NGINX === undefined) {
    process.stdout.write(
      '\n## HTTP cluster: skipped (needs MEDVAULT_BENCH_DATABASE_URL or MEDVAULT_TEST_DATABASE_URL, and nginx)\n',
    );
    await schema?.drop();
    return;
  }
  const masterKey = randomBytes(32).toString('base64');
  const started: Target[] = [];
  const load = new LoadProcess();
  const rows: Array<Array<string | number>> = [];
  try {
    // Server A seeds the demo hospital; B starts on the same database afterwards (no seeding).
    const a = await startMedVault({ databaseUrl: schema.url, demo: true, masterKey });
    started.push(a);
    const b = await startMedVault({ databaseUrl: schema.url, demo: false, masterKey });
    started.push(b);
    const hello = await startHelloWorld();
    started.push(hello);
    const proxyOne = await startNginx([new URL(a.url).host]);
    started.push(proxyOne);
    const proxyTwo = await startNginx([new URL(a.url).host, new URL(b.url).host]);
    started.push(proxyTwo);
    const arrangements: Arrangement[] = [
      { name: '1 server', urls: [a.url], servers: [a] },
      { name: '1 server + nginx', urls: [proxyOne.url], servers: [a], proxy: proxyOne },
      { name: '2 servers + nginx', urls: [proxyTwo.url], servers: [a, b], proxy: proxyTwo },
      { name: '2 servers, client split', urls: [a.url, b.url], servers: [a, b] },
    ];
    // The servers as if each had a small machine of its own: capped, so that they and not
    // PostgreSQL are the bound, as in a deployment with the database on its own hardware.
    const capNote = cpuCapAvailable();
    if (capNote === undefined)
      arrangements.push(
        { name: `1 server capped ${CAP_CORES}`, urls: [a.url], servers: [a], capCores: CAP_CORES },
        {
          name: `2 servers capped ${CAP_CORES}, split`,
          urls: [a.url, b.url],
          servers: [a, b],
          capCores: CAP_CORES,
        },
      );
    else process.stdout.write(`\n(capped arrangements skipped: ${capNote})\n`);
    const routes = (await routeLoads(a.url, a.dataDir ?? '')).filter((r) => ROUTES.has(r.name));
    const results = new Map<string, Sample[]>();
    const add = (key: string, s: Sample) => results.set(key, [...(results.get(key) ?? []), s]);
    const bar = startProgress('HTTP cluster on postgres', rounds * (1 + routes.length * arrangements.length));
    let done = 0;
    for (let round = 0; round < rounds; round++) {
      add(
        'hello-world',
        await sample(load, helloWorldSpec(hello.url, CONNECTIONS, seconds), {
          name: 'hello',
          urls: [hello.url],
          servers: [hello],
        }),
      );
      bar.update(++done);
      for (const route of routes) {
        const spec = await route.spec(CONNECTIONS, seconds);
        for (const arrangement of arrangements) {
          add(
            `${route.name}\u0000${arrangement.name}`,
            await sample(load, spread(spec, arrangement.urls), arrangement),
          );
          bar.update(++done);
        }
      }
    }
    bar.stop();
    const rps = (key: string) => median((results.get(key) ?? []).map((s) => s.result.requestsPerSecond));
    const helloRps = rps('hello-world');
    const line = (route: string, arrangement: string, key: string, one?: number): Array<string | number> => {
      const ss = results.get(key) ?? [];
      const r = rps(key);
      const bad = ss.reduce((n, s) => n + s.result.non2xx + s.result.errors, 0);
      const statuses = [...new Set(ss.flatMap((s) => Object.keys(s.result.statuses)))].join('/');
      return [
        route,
        arrangement,
        r,
        median(ss.map((s) => s.result.p99Ms)),
        bad === 0 ? '0' : `${bad} (${statuses})`,
        (r / helloRps).toFixed(3),
        one === undefined ? '' : one > 0 ? `${(r / one).toFixed(2)}x` : '—',
        median(ss.map((s) => s.serverCores)).toFixed(2),
        arrangement.includes('nginx') ? median(ss.map((s) => s.proxyCores)).toFixed(2) : '',
        median(ss.map((s) => s.postgresCores)).toFixed(2),
        median(ss.map((s) => s.clientCores)).toFixed(2),
        median(ss.map((s) => s.machineCores)).toFixed(2),
      ];
    };
    rows.push(line('hello-world', '(baseline)', 'hello-world'));
    for (const route of routes) {
      for (const arrangement of arrangements) {
        // Compared with one server under the same cap (or none).
        const base = arrangements.find((x) => x.capCores === arrangement.capCores)!;
        const one = rps(`${route.name}\u0000${base.name}`);
        rows.push(
          line(
            route.name,
            arrangement.name,
            `${route.name}\u0000${arrangement.name}`,
            arrangement === base ? undefined : one,
          ),
        );
      }
    }
  } finally {
    load.stop();
    for (const t of started.reverse()) await t.stop();
    await schema.drop();
  }
  printTable(
    `HTTP on PostgreSQL, one server and two: autocannon, ${CONNECTIONS} connections, ${seconds} s × 3 rounds interleaved with hello-world (medians; ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end)`,
    [
      'route',
      'arrangement',
      'req/s',
      'p99 ms',
      'non-2xx',
      'vs hello',
      'vs 1 server',
      'server CPU',
      'nginx CPU',
      'postgres CPU',
      'client CPU',
      'machine busy',
    ],
    rows,
  );
}

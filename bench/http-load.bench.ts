import { benchPostgresSchema } from './databases.js';
import { printTable } from './harness.js';
import { routeLoads } from './http-load/fixtures.js';
import { LoadProcess, median } from './http-load/load-process.js';
import { helloWorldSpec, type LoadResult } from './http-load/load-spec.js';
import { startHelloWorld, startMedVault } from './http-load/targets.js';
import { startProgress } from '../src/cli/progress.js';

/**
 * Issue 16's HTTP figure: autocannon, in a process of its own, against `medvault serve --demo`
 * (production costs, `info` logging) and against a Fastify hello-world server, interleaved in
 * the same run: every round measures hello-world, then each route. Three rounds; medians of
 * req/s and latency; the ratio is MedVault's req/s over hello-world's. On SQLite, and on
 * PostgreSQL when MEDVAULT_BENCH_DATABASE_URL (or MEDVAULT_TEST_DATABASE_URL) is set.
 */

const CONNECTIONS = 10;

/** Issue 16's targets, as a share of hello-world's req/s, by database. */
const TARGETS: Readonly<Record<string, { sqlite: number; postgres: number }>> = {
  'GET /healthz': { sqlite: 0.6, postgres: 0.6 },
  'doctor GET /records/:id': { sqlite: 0.25, postgres: 0.1 },
  'doctor GET /patients/:id/records': { sqlite: 0.15, postgres: 0.07 },
  'doctor GET /search?keyword=': { sqlite: 0.15, postgres: 0.07 },
};

export async function benchHttpLoad(options: { quick: boolean }): Promise<void> {
  const seconds = options.quick ? 2 : 10;
  const rounds = 3;
  const pg = await benchPostgresSchema('bench_load');
  const databases: Array<readonly [string, string | undefined]> = [['sqlite', undefined]];
  if (pg !== undefined) databases.push(['postgres', pg.url]);
  const load = new LoadProcess();
  const rows: Array<Array<string | number>> = [];
  try {
    for (const [db, databaseUrl] of databases) {
      const medvault = await startMedVault(databaseUrl);
      const hello = await startHelloWorld();
      try {
        const routes = await routeLoads(medvault.url, medvault.dataDir ?? '');
        const results = new Map<string, LoadResult[]>();
        const rss = new Map<string, number>();
        const bar = startProgress(`HTTP load on ${db}`, rounds * (routes.length + 1));
        let done = 0;
        for (let round = 0; round < rounds; round++) {
          const baseline = await load.run(helloWorldSpec(hello.url, CONNECTIONS, seconds));
          results.set('hello-world', [...(results.get('hello-world') ?? []), baseline]);
          rss.set('hello-world', Math.max(rss.get('hello-world') ?? 0, hello.rssMiB()));
          bar.update(++done);
          for (const route of routes) {
            const r = await load.run(await route.spec(CONNECTIONS, seconds));
            results.set(route.name, [...(results.get(route.name) ?? []), r]);
            rss.set(route.name, Math.max(rss.get(route.name) ?? 0, medvault.rssMiB()));
            bar.update(++done);
          }
        }
        bar.stop();
        const helloRps = median((results.get('hello-world') ?? []).map((r) => r.requestsPerSecond));
        for (const [name, rs] of results) {
          const rps = median(rs.map((r) => r.requestsPerSecond));
          const target = TARGETS[name]?.[db as 'sqlite' | 'postgres'];
          const non2xx = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
          const statuses = [...new Set(rs.flatMap((r) => Object.keys(r.statuses)))].join('/');
          rows.push([
            db,
            name,
            rps,
            median(rs.map((r) => r.p50Ms)),
            median(rs.map((r) => r.p99Ms)),
            non2xx === 0 ? '0' : `${non2xx} (${statuses})`,
            Math.round(rss.get(name) ?? 0),
            name === 'hello-world' ? '1.00' : (rps / helloRps).toFixed(3),
            target === undefined ? '' : `≥ ${target}`,
          ]);
        }
      } finally {
        await medvault.stop();
        await hello.stop();
      }
    }
  } finally {
    load.stop();
    await pg?.drop();
  }
  printTable(
    `HTTP under load: autocannon, ${CONNECTIONS} connections (logins: one per account), ${seconds} s × ${rounds} rounds interleaved with hello-world (medians)`,
    ['database', 'route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'RSS MiB', 'vs hello', 'target'],
    rows,
  );
}

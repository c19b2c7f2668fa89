/**
 * A small benchmark harness: each measurement runs its operation repeatedly for a fixed time
 * after a warm-up and reports operations per second. Benchmarks print ratios against a
 * baseline measured in the same run, so the figures compare on any machine.
 */
export interface Measurement {
  readonly opsPerSecond: number;
  readonly iterations: number;
  readonly seconds: number;
}

export async function measure(
  op: () => unknown | Promise<unknown>,
  ms = 400,
  warmupMs = 100,
): Promise<Measurement> {
  const run = async (budgetNs: bigint): Promise<{ n: number; ns: bigint }> => {
    const start = process.hrtime.bigint();
    let n = 0;
    let now = start;
    while (now - start < budgetNs) {
      await op();
      n++;
      if ((n & 7) === 0 || n < 8) now = process.hrtime.bigint();
    }
    return { n, ns: process.hrtime.bigint() - start };
  };
  await run(BigInt(warmupMs) * 1_000_000n);
  const { n, ns } = await run(BigInt(ms) * 1_000_000n);
  const seconds = Number(ns) / 1e9;
  return { opsPerSecond: n / seconds, iterations: n, seconds };
}

/** Times one call. */
export async function time<T>(op: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await op();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  process.stdout.write(`\n## ${title}\n`);
  for (const [i, row] of cells.entries()) {
    process.stdout.write(row.map((c, j) => String(c).padStart(widths[j] ?? 0)).join('  ') + '\n');
    if (i === 0) process.stdout.write(widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  }
}

export function formatNumber(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

/** Operations per wall-clock second and per CPU-second of the whole process (all threads). */
export interface Rate {
  readonly n: number;
  readonly perSecond: number;
  readonly perCpuSecond: number;
  /** Mean wall-clock milliseconds per operation. */
  readonly ms: number;
}

/**
 * Runs `op` one call at a time for `ms` after `warmup` calls. Only the part of each call that
 * `op` reports as timed counts (so client-side work, e.g. signing a challenge, is left out):
 * `op` returns the wall and CPU time it spent in the server. CPU time is process-wide, so it
 * includes argon2's libuv worker threads.
 */
export async function rate(
  op: () => Promise<{ ns: bigint; cpuUs: number }>,
  ms: number,
  warmup = 2,
): Promise<Rate> {
  for (let i = 0; i < warmup; i++) await op();
  let n = 0;
  let ns = 0n;
  let cpuUs = 0;
  const budget = BigInt(ms) * 1_000_000n;
  while (ns < budget || n < 3) {
    const t = await op();
    ns += t.ns;
    cpuUs += t.cpuUs;
    n++;
  }
  const seconds = Number(ns) / 1e9;
  return { n, perSecond: n / seconds, perCpuSecond: n / (cpuUs / 1e6), ms: (seconds * 1000) / n };
}

/** Times `op` (wall and process CPU). */
export async function timed(op: () => Promise<unknown>): Promise<{ ns: bigint; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await op();
  const ns = process.hrtime.bigint() - start;
  const used = process.cpuUsage(cpu);
  return { ns, cpuUs: used.user + used.system };
}

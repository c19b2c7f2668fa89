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

import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/src/cli/main.js, beside this file's dist/bench/http-load/. */
const CLI = path.resolve(here, '../../src/cli/main.js');

/** A server process under test: where it listens, its resident memory and CPU time so far. */
export interface Target {
  readonly url: string;
  readonly dataDir: string | undefined;
  /** The process id, where the benchmark may act on the process itself (CPU caps). */
  readonly pid?: number | undefined;
  rssMiB(): number;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** VmRSS of a process, from /proc (Linux; 0 elsewhere). */
export function rssMiB(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? 0 : Number(kb) / 1024;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds a process has used, from /proc (Linux; 0 elsewhere). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * /proc/PID/stat after the command name (which may hold spaces): [0] state, [1] ppid, … [11]
 * utime, [12] stime, [13] cutime, [14] cstime. @throws when the process is gone.
 */
function statFields(pid: number | undefined): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds used so far by PostgreSQL: every live process named `postgres` (the postmaster and
 * its backends), plus the postmaster's reaped children, so a backend that exits between two
 * readings still counts (Linux /proc; 0 elsewhere).
 */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const fields = statFields(Number(entry));
      // utime, stime; and for the postmaster (its parent is not postgres), cutime and cstime.
      total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
      const parent = fs.readFileSync(`/proc/${fields[1]}/comm`, 'utf8').trim();
      if (parent !== 'postgres') total += (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total;
}

/** Busy CPU seconds of the whole machine (every core, kernel included; idle and iowait left out). */
export function machineBusySeconds(): number {
  try {
    const cpu = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not get ready within 120 s:\n${log()}`);
}

/** How to start one `medvault serve` of the benchmark. */
export interface MedVaultStart {
  /** PostgreSQL; SQLite in the server's own data folder when absent. */
  readonly databaseUrl?: string | undefined;
  /** `--demo`: seed the demo hospital (skipped by the server when the database has accounts). */
  readonly demo?: boolean;
  /** Given to every server of a cluster (they share one database); otherwise the data folder's own. */
  readonly masterKey?: string;
}

/**
 * `medvault serve [--demo]` as an operator starts it (production costs, `info` logging to a pipe
 * the benchmark drains), on a fresh data folder and a free port. The only setting changed is the
 * per-address limit on login routes, raised so the login figures measure logins, not the limit
 * (every request of the benchmark comes from one address).
 */
export async function startMedVault(start: MedVaultStart | string | undefined): Promise<Target> {
  const { databaseUrl, demo = true, masterKey } = typeof start === 'object' ? start : { databaseUrl: start };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-load-'));
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', ...(demo ? ['--demo'] : [])], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MEDVAULT_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      MEDVAULT_AUTH_RATE_LIMIT: '100000',
      MEDVAULT_CREDENTIAL_RATE_LIMIT: '100000',
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      ...(masterKey === undefined ? {} : { MEDVAULT_MASTER_KEY: masterKey }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, () => tail);
  const stop = stopper(child);
  return {
    url,
    dataDir,
    pid: child.pid,
    rssMiB: () => rssMiB(child.pid),
    cpuSeconds: () => cpuSeconds(child.pid),
    stop: async () => {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      // The default checkpoint file lives beside the data folder, not in it.
      fs.rmSync(`${dataDir}-checkpoints`, { force: true });
    },
  };
}

/** The Fastify hello-world baseline, in its own process. */
export async function startHelloWorld(): Promise<Target> {
  const child = fork(path.join(here, 'hello-world.js'), { stdio: 'ignore' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`hello-world exited (${code})`)));
  });
  return {
    url,
    dataDir: undefined,
    rssMiB: () => rssMiB(child.pid),
    cpuSeconds: () => cpuSeconds(child.pid),
    stop: stopper(child),
  };
}

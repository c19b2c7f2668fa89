import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './stores.js';

/** Debian's PostgreSQL server binaries (the newest major version installed), or undefined. */
function serverBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

/**
 * Why a private PostgreSQL cannot be started here, or undefined when it can: the server
 * binaries are needed, and root to run them as the `postgres` user (initdb refuses root).
 */
export function privatePostgresUnavailable(): string | undefined {
  if (serverBinaries() === undefined) return 'no PostgreSQL server binaries under /usr/lib/postgresql';
  if (process.getuid?.() !== 0) return 'starting a private PostgreSQL needs root (to run it as postgres)';
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
  } catch {
    return 'no postgres user';
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface PrivatePostgres {
  /** A URL of its `postgres` database (trust authentication on loopback). */
  readonly url: string;
  /**
   * Stops the server: `fast` ends every connection and shuts down cleanly; `immediate` is a crash
   * (no shutdown checkpoint: the next start replays the WAL).
   */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** Stops it for good and removes its files. */
  dispose(): void;
}

/**
 * A PostgreSQL server of the test's own, in a temporary folder on a free port, for tests that
 * stop and restart the database itself (the shared server on 5432 serves every other test).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = serverBinaries();
  if (bin === undefined) throw new Error(privatePostgresUnavailable());
  const dir = tempDir('medvault-pg-');
  const data = path.join(dir, 'data');
  fs.chmodSync(dir, 0o755);
  execFileSync('chown', ['postgres:postgres', dir]);
  const asPostgres = (tool: string, args: string[]): void => {
    execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: dir,
    });
  };
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
  const start = (): void =>
    asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = (mode: 'fast' | 'immediate'): void =>
    asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: (mode = 'fast') => {
      stop(mode);
      running = false;
    },
    start: () => {
      start();
      running = true;
    },
    dispose: () => {
      if (running) stop('immediate');
      running = false;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

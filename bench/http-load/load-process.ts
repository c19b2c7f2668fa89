import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-spec.js';
import { cpuSeconds } from './targets.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The load generator (load-runner.ts) in a process of its own, so the client's CPU does not come
 * out of the servers'. `run` sends one spec, or several fired at once (their sum comes back).
 */
export class LoadProcess {
  private readonly child: ChildProcess = fork(path.join(here, 'load-runner.js'), { stdio: 'inherit' });

  run(spec: LoadSpec | readonly LoadSpec[]): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (m: { ok: true; result: LoadResult } | { ok: false; error: string }) =>
        m.ok ? resolve(m.result) : reject(new Error(m.error)),
      );
      this.child.send(spec);
    });
  }

  /** The load generator's own CPU seconds so far. */
  cpuSeconds(): number {
    return cpuSeconds(this.child.pid);
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

import fs from 'node:fs';
import path from 'node:path';

/**
 * Caps processes at a share of one core with a Linux CPU cgroup (v1 `cpu` controller, or v2
 * `cpu.max`), as if each ran on a machine of that size: what lets a 2-core machine show how the
 * API scales when the MedVault servers, not PostgreSQL, are the bound. Needs root and a writable
 * cgroup hierarchy; {@link cpuCapAvailable} says whether this machine has one.
 */

const V1 = '/sys/fs/cgroup/cpu';
const V2 = '/sys/fs/cgroup';
const PERIOD_US = 100_000;

type Hierarchy = { readonly kind: 'v1' | 'v2'; readonly root: string };

function hierarchy(): Hierarchy | undefined {
  if (fs.existsSync(path.join(V1, 'cpu.cfs_quota_us'))) return { kind: 'v1', root: V1 };
  try {
    if (fs.readFileSync(path.join(V2, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu'))
      return { kind: 'v2', root: V2 };
  } catch {
    // no cgroup v2 root with the cpu controller
  }
  return undefined;
}

/** Why caps cannot be set here, or undefined when they can. */
export function cpuCapAvailable(): string | undefined {
  const h = hierarchy();
  if (h === undefined) return 'no CPU cgroup controller';
  if (process.getuid?.() !== 0) return 'needs root to create a cgroup';
  try {
    fs.accessSync(h.root, fs.constants.W_OK);
  } catch {
    return `${h.root} is not writable`;
  }
  return undefined;
}

/**
 * Moves `pid` into a new cgroup limited to `cores` (e.g. 0.4) of CPU time; the returned function
 * moves it back to the root group and removes the cgroup.
 */
export function capCpu(pid: number | undefined, cores: number): () => void {
  // Never pid 0: written to cgroup.procs it means the writer, which would cap the benchmark itself.
  if (pid === undefined || pid <= 0) throw new Error('cannot cap a process without its pid');
  const h = hierarchy();
  if (h === undefined) throw new Error('no CPU cgroup controller');
  const dir = path.join(h.root, `medvault-bench-${pid}`);
  fs.mkdirSync(dir);
  const quota = Math.round(cores * PERIOD_US);
  if (h.kind === 'v1') {
    fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
    fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quota));
  } else {
    fs.writeFileSync(path.join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
  }
  fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
  return () => {
    try {
      fs.writeFileSync(path.join(h.root, 'cgroup.procs'), String(pid));
    } catch {
      // the process has exited: the group is empty already
    }
    fs.rmdirSync(dir);
  };
}

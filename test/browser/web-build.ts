/**
 * Makes sure dist/web holds a build of the current web/ sources before a browser test serves it:
 * builds with Vite's JS API when index.html is missing or older than any file under web/.
 * A lock directory keeps two test workers from building (and emptying dist/web) at once.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'vite';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_SOURCE = path.join(REPO_ROOT, 'web');
export const WEB_DIST = path.join(REPO_ROOT, 'dist', 'web');
const LOCK_DIR = path.join(REPO_ROOT, 'dist', '.web-build.lock');
const LOCK_STALE_MS = 120_000;

export async function ensureWebBuild(): Promise<string> {
  if (!needsBuild()) return WEB_DIST;
  await withLock(async () => {
    if (!needsBuild()) return; // another worker built it while we waited
    // Vite takes production-ness from NODE_ENV when set, and vitest sets it to "test": without
    // this the UI under test would be React's development build, not what `npm start` serves.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: path.join(WEB_SOURCE, 'vite.config.ts'),
        logLevel: 'warn',
        mode: 'production',
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });
  return WEB_DIST;
}

function needsBuild(): boolean {
  const built = mtimeOf(path.join(WEB_DIST, 'index.html'));
  return built === undefined || newestMtime(WEB_SOURCE) > built;
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

async function withLock(run: () => Promise<void>): Promise<void> {
  mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = mtimeOf(LOCK_DIR);
      // A lock left by a killed run would otherwise block every later run.
      if (since !== undefined && Date.now() - since > LOCK_STALE_MS)
        rmSync(LOCK_DIR, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    await run();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (the one holding package.json), found upward from this file. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

/** The built web UI, if `npm run build:web` has produced it. */
export function builtWebRoot(): string | undefined {
  const dir = path.join(packageRoot(), 'dist', 'web');
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}

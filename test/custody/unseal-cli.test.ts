import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitForExit, waitForOutput } from '../support/cli.js';
import { tempDir } from '../support/stores.js';

const sealedUrl = /listening on (\S+), SEALED/;

async function serveSealed(dataDir: string) {
  const child = spawnCli(['serve', '--port', '0', '--data-dir', dataDir], { LOG_LEVEL: 'silent' });
  const out = await waitForOutput(child, sealedUrl, 90_000);
  return { child, url: (sealedUrl.exec(out) as RegExpExecArray)[1] as string };
}

describe('medvault keys split, serve sealed, medvault unseal', () => {
  it('splits and removes the key file; K shares typed by officers unseal; kill -9 comes back sealed', async () => {
    const dataDir = tempDir();
    const split = await runCli(['keys', 'split', '--shares', '3', '--threshold', '2', '--data-dir', dataDir]);
    expect(split.stderr).toBe('');
    expect(split.code).toBe(0);
    const shares = [...split.stdout.matchAll(/^Share \d of 3: (mvshare1-\S+)$/gm)].map((m) => m[1] as string);
    expect(shares).toHaveLength(3);
    expect(fs.existsSync(path.join(dataDir, 'master.key'))).toBe(false);

    let { child, url } = await serveSealed(dataDir);
    try {
      expect((await fetch(`${url}/api/v1/auth/me`)).status).toBe(503);
      const wrong = await runCli(
        ['unseal', '--url', url],
        {},
        'mvshare1-0000000000000000-1-' + 'A'.repeat(43) + 'B\n',
      );
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/Share \d+ is damaged|Share \d+ is from another split/);

      const one = await runCli(['unseal', '--url', url], {}, `${shares[2]}\n`);
      expect(one.stdout).toContain('Share accepted: 1 of 2. Still sealed');
      expect((await fetch(`${url}/api/v1/auth/me`)).status).toBe(503);
      const two = await runCli(['unseal', '--url', url], {}, `${shares[0]}\n`);
      expect(two.stdout).toContain('the server is unsealed');
      expect((await fetch(`${url}/api/v1/auth/me`)).status).toBe(401);

      child.kill('SIGKILL');
      expect((await waitForExit(child)).signal).toBe('SIGKILL');
      ({ child, url } = await serveSealed(dataDir));
      const after = await fetch(`${url}/api/v1/auth/me`);
      expect(after.status).toBe(503);
      expect(((await after.json()) as { error: { code: string } }).error.code).toBe('sealed');
    } finally {
      child.kill('SIGKILL');
    }

    // A command at the console asks for the shares too: piped here, one per line.
    const status = await runCli(
      ['keys', 'status', '--data-dir', dataDir],
      {},
      `${shares[1]}\n${shares[2]}\n`,
    );
    expect(status.stderr).toBe('');
    expect(status.stdout).toContain('(current)');
  }, 240_000);
});

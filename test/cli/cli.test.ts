import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/stores.js';
import { runCli, spawnCli, waitForExit, waitForOutput } from '../support/cli.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('medvault CLI', () => {
  it.each([[[]], [['serve']], [['keys']], [['keys', 'status']], [['keys', 'rotate']]])(
    'prints help for %j',
    async (args) => {
      const r = await runCli([...args, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: medvault/);
    },
  );

  it('rejects an invalid setting in one line naming it, exit code 2, no stack', async () => {
    const r = await runCli(['keys', 'status'], { PORT: 'abc', MEDVAULT_DATA_DIR: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'medvault: invalid setting PORT: expected an integer port between 0 and 65535',
    );
    noStack(r.stderr);
  });

  it('rejects an invalid flag value the same way', async () => {
    const r = await runCli(['serve', '--port', '99999', '--data-dir', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid setting PORT/);
  });

  it('creates the data folder, a 0600 key file and the keyring, then reports status', async () => {
    const dir = path.join(tempDir(), 'data');
    const r = await runCli(['keys', 'status', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\s1\s+0\s+\(current\)/);
    expect(fs.statSync(path.join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dir, 'medvault.db'))).toBe(true);
  });

  it('refuses to start when the key file is readable by others', async () => {
    const dir = tempDir();
    expect((await runCli(['keys', 'status', '--data-dir', dir])).code).toBe(0);
    fs.chmodSync(path.join(dir, 'master.key'), 0o640);
    const r = await runCli(['keys', 'status', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/readable or writable by others \(mode 640\): run chmod 600/);
    noStack(r.stderr);
  });

  it('refuses to start with a master key that does not open the keyring', async () => {
    const dir = tempDir();
    expect((await runCli(['keys', 'status', '--data-dir', dir])).code).toBe(0);
    const r = await runCli(['keys', 'status', '--data-dir', dir], {
      MEDVAULT_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/master key does not open the keyring/);
    noStack(r.stderr);
  });

  it('rotates and reports the new version', async () => {
    const dir = tempDir();
    const r = await runCli(['keys', 'rotate', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Added KEK version 2/);
    const s = await runCli(['keys', 'status', '--data-dir', dir]);
    expect(s.stdout).toMatch(/\s2\s+0\s+\(current\)/);
  });

  it('serves /healthz, says where, and shuts down cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawnCli(['serve', '--port', '0', '--data-dir', dir], { LOG_LEVEL: 'silent' });
    const exited = waitForExit(child);
    const out = await waitForOutput(child, /listening on (http:\/\/\S+)/);
    const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(out).toMatch(/Created master key file .*master\.key \(mode 0600\)/);
    child.kill('SIGTERM');
    const r = await exited;
    expect(r.code).toBe(0);
  });
});

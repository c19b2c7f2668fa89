import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { SOFTHSM_MODULE, softhsmStore, USER_PIN } from '../support/softhsm.js';
import { tempDir } from '../support/stores.js';

// Child processes under a loaded CI: up to a minute each.
describe('medvault with MEDVAULT_PKCS11_* settings', { timeout: 240_000 }, () => {
  let env: Record<string, string>;
  beforeAll(() => {
    const hsm = softhsmStore();
    hsm.initToken('CLI');
    env = {
      MEDVAULT_DATA_DIR: tempDir(),
      MEDVAULT_PKCS11_MODULE: SOFTHSM_MODULE,
      MEDVAULT_PKCS11_TOKEN: 'CLI',
      MEDVAULT_PKCS11_PIN: USER_PIN,
      SOFTHSM2_CONF: hsm.conf,
    };
  });

  it('keeps the keyring in the token: rotate and status work, no master.key is made', async () => {
    const rotated = await runCli(['keys', 'rotate'], env);
    expect(rotated.stderr).toBe('');
    expect(rotated.stdout).toMatch(/Added KEK version 2/);
    const status = await runCli(['keys', 'status'], env);
    expect(status.stdout).toMatch(/^\s+1\s+0\s+$/m);
    expect(status.stdout).toMatch(/^\s+2\s+0\s+\(current\)$/m);
    const fs = await import('node:fs');
    expect(fs.existsSync(`${env.MEDVAULT_DATA_DIR}/master.key`)).toBe(false);
  });

  it('backs up, and verifies the backup through the token; without the token it says which one to set', async () => {
    const file = `${env.MEDVAULT_DATA_DIR}-backup.mvbackup`;
    const made = await runCli(['backup', '--out', file], env);
    expect(made.code).toBe(0);
    expect(made.stderr).not.toMatch(/medvault:/);
    expect(made.stdout).toContain('under keys only the PKCS#11 token "CLI" can open');
    const verified = await runCli(['backup', 'verify', file], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(
      /^OK: backup [0-9a-f]{32} .* verifies: signature, every chunk, every hash/,
    );
    const refused = await runCli(['backup', 'verify', file], {
      MEDVAULT_DATA_DIR: env.MEDVAULT_DATA_DIR!,
      MEDVAULT_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^medvault: this backup's key is sealed by the PKCS#11 token "CLI": set MEDVAULT_PKCS11_MODULE/,
    );
  });

  it('refuses a wrong PIN in one line, without a stack', async () => {
    const refused = await runCli(['keys', 'status'], { ...env, MEDVAULT_PKCS11_PIN: '0000' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('medvault: PKCS#11 token "CLI" refused the PIN (CKR_PIN_INCORRECT)\n');
    expect(refused.stdout).toBe('');
  });

  it('refuses MEDVAULT_MASTER_KEY given besides the token', async () => {
    const both = await runCli(['keys', 'status'], {
      ...env,
      MEDVAULT_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^medvault: both MEDVAULT_PKCS11_MODULE and MEDVAULT_MASTER_KEY are set/);
  });
});

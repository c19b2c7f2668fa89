import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { SOFTHSM_MODULE, softhsmStore, USER_PIN } from '../support/softhsm.js';
import { tempDir } from '../support/stores.js';

describe('medvault keys reseal and keys handover', () => {
  it('moves a file-key keyring into a PKCS#11 token and hands the signing key over', async () => {
    const hsm = softhsmStore();
    hsm.initToken('RS');
    const dataDir = tempDir();
    const pkcs11 = {
      MEDVAULT_PKCS11_MODULE: SOFTHSM_MODULE,
      MEDVAULT_PKCS11_TOKEN: 'RS',
      MEDVAULT_PKCS11_PIN: USER_PIN,
      SOFTHSM2_CONF: hsm.conf,
    };
    expect((await runCli(['keys', 'rotate'], { MEDVAULT_DATA_DIR: dataDir })).stderr).toBe('');
    const keyFile = path.join(dataDir, 'master.key');
    expect(fs.existsSync(keyFile)).toBe(true);

    const resealed = await runCli(['keys', 'reseal', '--to', 'pkcs11'], {
      MEDVAULT_DATA_DIR: dataDir,
      ...pkcs11,
    });
    expect(resealed.stderr).toBe('');
    expect(resealed.stdout).toMatch(/master key → PKCS#11 token "RS"/);
    expect(resealed.stdout).toMatch(/KEK version 3; 2 old KEK versions deleted/);
    expect(fs.existsSync(keyFile)).toBe(false);

    const handover = await runCli(['keys', 'handover'], { MEDVAULT_DATA_DIR: dataDir, ...pkcs11 });
    expect(handover.stderr).toBe('');
    expect(handover.stdout).toMatch(/signed by key generation 2/);
    expect(handover.stdout).toMatch(/^medvault\/key-handover$/m);

    const refused = await runCli(['keys', 'reseal', '--to', 'nowhere'], { MEDVAULT_DATA_DIR: dataDir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('medvault: --to expects file, pkcs11 or split\n');
  }, 300_000); // four child processes
});

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

  it('moves a token-held keyring into another token (MEDVAULT_PKCS11_NEW_*); the old token opens nothing', async () => {
    const hsm = softhsmStore();
    hsm.initToken('TA');
    hsm.initToken('TB');
    const base = {
      MEDVAULT_DATA_DIR: tempDir(),
      MEDVAULT_PKCS11_MODULE: SOFTHSM_MODULE,
      SOFTHSM2_CONF: hsm.conf,
    };
    const inA = { ...base, MEDVAULT_PKCS11_TOKEN: 'TA', MEDVAULT_PKCS11_PIN: USER_PIN };
    const inB = { ...base, MEDVAULT_PKCS11_TOKEN: 'TB', MEDVAULT_PKCS11_PIN: USER_PIN };
    expect((await runCli(['keys', 'rotate'], inA)).stdout).toMatch(/Added KEK version 2/);

    const toB = { ...inA, MEDVAULT_PKCS11_NEW_TOKEN: 'TB', MEDVAULT_PKCS11_NEW_PIN: USER_PIN };
    const wrongTarget = await runCli(['keys', 'reseal', '--to', 'file'], toB);
    expect(wrongTarget.code).toBe(1);
    expect(wrongTarget.stderr).toMatch(
      /^medvault: MEDVAULT_PKCS11_NEW_\* name a token to move the keyring into/,
    );

    const resealed = await runCli(['keys', 'reseal', '--to', 'pkcs11'], toB);
    expect(resealed.stderr).toBe('');
    expect(resealed.stdout).toMatch(/PKCS#11 token "TA" → PKCS#11 token "TB"/);
    expect(resealed.stdout).toMatch(/KEK version 3; 2 old KEK versions deleted/);
    expect(resealed.stdout).toMatch(/point MEDVAULT_PKCS11_\* at the PKCS#11 token "TB"/);

    // The keyring's secrets (the ledger's MAC key among them) open through TB only.
    const verified = await runCli(['audit', 'verify'], inB);
    expect(verified.code).toBe(0);
    const status = await runCli(['keys', 'status'], inB);
    expect(status.stdout).toMatch(/^\s+3\s+0\s+\(current\)$/m);
    const old = await runCli(['keys', 'status'], inA);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/^medvault: the PKCS#11 token "TA" does not open the keyring/);

    const same = await runCli(['keys', 'reseal', '--to', 'pkcs11'], {
      ...inB,
      MEDVAULT_PKCS11_NEW_TOKEN: 'TB',
      MEDVAULT_PKCS11_NEW_PIN: USER_PIN,
    });
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/the keyring is in the PKCS#11 token "TB" already/);
  }, 300_000); // six child processes
});

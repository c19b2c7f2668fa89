import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRestoredLedger,
  createBackup,
  readBackupHead,
  restoreBackup,
  unsealModuleSecret,
  verifyBackup,
  type BackupHead,
} from '../../src/app/backup/index.js';
import { openApp, type AppContext } from '../../src/app/context.js';
import { AppError } from '../../src/app/errors.js';
import { openPkcs11Root } from '../../src/app/key-root/open-pkcs11-root.js';
import { StartupError } from '../../src/app/startup-error.js';
import { backupMasterKey } from '../../src/cli/backup-key.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { seedHospital, type SeedReport } from '../../src/synthetic/seed-hospital.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';
import { readOwnChart, type ChartEntry } from '../support/patient-chart.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { SOFTHSM_MODULE, softhsmStore, USER_PIN } from '../support/softhsm.js';
import { DIALECTS, emptyTarget, tempDir, type TestStore } from '../support/stores.js';

let hsm: ReturnType<typeof softhsmStore>;
let tokens = 0;
/** A fresh SoftHSM2 token; its settings as the environment gives them. */
function freshToken(): { label: string; env: Record<string, string> } {
  const label = `B${++tokens}`;
  hsm.initToken(label);
  return {
    label,
    env: {
      MEDVAULT_PKCS11_MODULE: SOFTHSM_MODULE,
      MEDVAULT_PKCS11_TOKEN: label,
      MEDVAULT_PKCS11_PIN: USER_PIN,
    },
  };
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

/** What every seeded patient reads of their chart. */
async function charts(app: AppContext, report: SeedReport): Promise<ChartEntry[][]> {
  const out = [];
  for (const patient of report.patients) out.push(await readOwnChart(app, patient));
  return out;
}

beforeAll(() => {
  hsm = softhsmStore();
});

// A hospital whose keyring's root is in a PKCS#11 token (SoftHSM2) backs up and restores: the
// backup's keys derive from a random secret the token seals, so the file holds nothing that
// opens without that token.
describe.each(DIALECTS)('backups of a keyring rooted in a PKCS#11 token, on %s', (dialect) => {
  let token: { label: string; env: Record<string, string> };
  let other: { label: string; env: Record<string, string> };
  let source: { config: Config; t: TestStore };
  let app: AppContext;
  let report: SeedReport;
  let file: string;
  let head: BackupHead;
  const disposers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    // Every token first: a loaded module lists the tokens it found when it was initialised.
    token = freshToken();
    other = freshToken();
    source = await emptyTarget(dialect, token.env);
    app = await openApp(source.config, CHEAP_COSTS);
    report = await seedHospital(app, {
      seed: 'pkcs11-backup',
      patients: 2,
      recordsPerPatient: 3,
      asOf: '2030-01-01',
      images: 1,
      concurrency: 1,
    });
    file = path.join(tempDir(), 'hospital.mvbackup');
    const made = await createBackup(app, file);
    expect(made.sealedBy).toBe(`PKCS#11 token "${token.label}"`);
    head = await readBackupHead(file);
  });
  afterAll(async () => {
    await app?.close();
    await source?.t.dispose();
    for (const d of disposers) await d();
  });

  it('names the token in its header, restores through it, and everything reads back; the ledger verifies', async () => {
    expect(head.header.module?.sealedBy).toBe(`PKCS#11 token "${token.label}"`);
    expect(head.header.custody).toBeNull();
    const { key } = await backupMasterKey(head, source.config);
    // The secret itself is nowhere in the file.
    expect(fs.readFileSync(file).includes(key)).toBe(false);
    expect(fs.readFileSync(file).includes(Buffer.from(key.toString('base64')))).toBe(false);
    await verifyBackup(file, key);

    const target = await emptyTarget(dialect, token.env);
    disposers.push(() => target.t.dispose());
    const restoredBackup = await restoreBackup(target.config, file, key);
    const restored = await openApp(target.config, CHEAP_COSTS);
    try {
      const original = await charts(app, report);
      expect(original.flat().length).toBeGreaterThan(0);
      expect(original.flat().some((entry) => entry.files.length > 0)).toBe(true);
      expect(await charts(restored, report)).toEqual(original);
      const check = await checkRestoredLedger(restored, restoredBackup.manifest.checkpoint!);
      expect(check.ok).toBe(true);
    } finally {
      await restored.close();
    }
  });

  it('another token cannot open it, and says which token sealed it', async () => {
    // The other token gets a root key of its own, as a second hospital's would.
    const root = openPkcs11Root(loadConfig({ MEDVAULT_DATA_DIR: tempDir(), ...other.env }).pkcs11!, false);
    try {
      const err = await refusal(() => unsealModuleSecret(head.header, root));
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('integrity_failure');
      expect((err as AppError).message).toContain(
        `PKCS#11 token "${other.label}" did not seal this backup's key (it was sealed by the PKCS#11 token "${token.label}")`,
      );
    } finally {
      root.close();
    }
  });

  it('a sealed secret moved from another backup, or changed by one bit, does not open', async () => {
    const second = path.join(tempDir(), 'second.mvbackup');
    await createBackup(app, second);
    const other = (await readBackupHead(second)).header;
    const root = openPkcs11Root(source.config.pkcs11!, true);
    try {
      // The secret is bound to its backup's id: another backup's, under the same token, fails.
      const moved = { ...head.header, module: other.module };
      expect(((await refusal(() => unsealModuleSecret(moved, root))) as AppError).code).toBe(
        'integrity_failure',
      );
      const sealed = Buffer.from(head.header.module!.sealedSecret, 'base64');
      sealed[sealed.length - 1]! ^= 1;
      const flipped = {
        ...head.header,
        module: { ...head.header.module!, sealedSecret: sealed.toString('base64') },
      };
      expect(((await refusal(() => unsealModuleSecret(flipped, root))) as AppError).code).toBe(
        'integrity_failure',
      );
    } finally {
      root.close();
    }
    // A byte changed in the file's sealed secret is refused before anything is restored.
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(head.header.module!.sealedSecret) + 10;
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    const bad = path.join(tempDir(), 'bad.mvbackup');
    fs.writeFileSync(bad, bytes);
    const target = await emptyTarget(dialect, token.env);
    disposers.push(() => target.t.dispose());
    const badHead = await readBackupHead(bad);
    expect(((await refusal(backupMasterKey(badHead, target.config))) as AppError).code).toBe(
      'integrity_failure',
    );
    expect(fs.readdirSync(target.config.dataDir).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('asks for the token when configured with a master key, and for the master key when configured with a token', async () => {
    const withKey = loadConfig({ MEDVAULT_DATA_DIR: tempDir(), MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64 });
    const err = await refusal(backupMasterKey(head, withKey));
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(
      `this backup's key is sealed by the PKCS#11 token "${token.label}": set MEDVAULT_PKCS11_MODULE, MEDVAULT_PKCS11_TOKEN and MEDVAULT_PKCS11_PIN (or MEDVAULT_PKCS11_PIN_FILE) to read it`,
    );
    // A master-key backup is not opened by a token, and a master key cannot stand in for the secret.
    const keyHead: BackupHead = { ...head, header: { ...head.header, module: undefined } };
    expect(((await refusal(backupMasterKey(keyHead, source.config))) as Error).message).toMatch(
      /^this backup was made under a master key, not a PKCS#11 token/,
    );
    expect(((await refusal(verifyBackup(file, Buffer.alloc(32, 7)))) as AppError).message).toContain(
      `The key given does not open this backup, whose key is sealed by the PKCS#11 token "${token.label}"`,
    );
  });
});

import { unsealModuleSecret, type BackupHead } from '../app/backup/index.js';
import { SealedVault, type SplitCustody } from '../app/custody/index.js';
import { openPkcs11Root } from '../app/key-root/open-pkcs11-root.js';
import { resolveMasterKey } from '../app/master-key.js';
import { StartupError } from '../app/startup-error.js';
import type { Config } from '../config/config.js';
import { readSecretLine } from './read-password.js';

export interface BackupKey {
  readonly key: Buffer;
  /** The shares typed, to open the restored data without asking the officers twice. */
  readonly shares: string[];
}

/**
 * The key a backup was made under: for a PKCS#11 root, its secret unsealed by the configured token;
 * for a split key, K officer shares (checked against the commitments the backup's header
 * carries); otherwise MEDVAULT_MASTER_KEY or `<data dir>/master.key`.
 */
export async function backupMasterKey(head: BackupHead, config: Config): Promise<BackupKey> {
  const c = head.header.custody;
  const module = head.header.module;
  if (module !== undefined) {
    if (config.pkcs11 === undefined)
      throw new StartupError(
        `this backup's key is sealed by the ${module.sealedBy}: set MEDVAULT_PKCS11_MODULE, MEDVAULT_PKCS11_TOKEN and MEDVAULT_PKCS11_PIN (or MEDVAULT_PKCS11_PIN_FILE) to read it`,
      );
    const root = openPkcs11Root(config.pkcs11, true);
    try {
      return { key: unsealModuleSecret(head.header, root), shares: [] };
    } finally {
      root.close();
    }
  }
  if (config.pkcs11 !== undefined)
    throw new StartupError(
      'this backup was made under a master key, not a PKCS#11 token: unset MEDVAULT_PKCS11_MODULE and give that key (MEDVAULT_MASTER_KEY or master.key)',
    );
  if (c === null) {
    const { key } = resolveMasterKey({
      fromEnv: config.masterKey,
      dataDir: config.dataDir,
      keyringExists: true,
    });
    return { key, shares: [] };
  }
  const custody: SplitCustody = {
    scheme: 'shamir',
    threshold: c.threshold,
    shares: c.shares,
    setId: c.setId,
    keyCommitment: c.keyCommitment,
    shareCommitments: new Map(Object.entries(c.shareCommitments).map(([k, v]) => [Number(k), v])),
  };
  const vault = new SealedVault<Buffer>(custody, async (key) => key);
  const shares: string[] = [];
  process.stderr.write(
    `This backup's master key is split between officers: ${c.threshold} of ${c.shares} shares needed.\n`,
  );
  while (vault.result === undefined) {
    const text = await readSecretLine(`Key share ${vault.status().accepted + 1} of ${c.threshold}: `);
    if (text === null)
      throw new StartupError(
        `only ${vault.status().accepted} of the ${c.threshold} key shares needed were given`,
      );
    await vault.submit(text, 'cli');
    shares.push(text);
  }
  return { key: vault.result, shares };
}

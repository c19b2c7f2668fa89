import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest, MigrationError } from '../store/migrate.js';
import { composeApp, type AppServices, type ComposeOptions } from './compose.js';
import { loadCustody, SealedVault, type SplitCustody, type UnsealAttempt } from './custody/index.js';
import { Keyring } from './keyring.js';
import type { KeyRoot } from './key-root/key-root.js';
import { MasterKeyRoot } from './key-root/master-key-root.js';
import { openPkcs11Root } from './key-root/open-pkcs11-root.js';
import { MASTER_KEY_FILE, resolveMasterKey } from './master-key.js';
import { StartupError } from './startup-error.js';

export type { AppServices, ComposeLimits, ComposeOptions } from './compose.js';

/** Everything a running MedVault process holds: the store, the keyring and the services by context. */
export interface AppContext extends AppServices {
  readonly config: Config;
  readonly store: Store;
  readonly keyring: Keyring;
  /** What start-up did, for the CLI to report (never secrets). */
  readonly startup: {
    readonly migrationsApplied: string[];
    readonly masterKeyCreated: boolean;
    readonly masterKeyOrigin: string;
  };
  /** Stops the services' background work, then closes the store. */
  close(): Promise<void>;
}

export interface OpenOptions extends ComposeOptions {
  /**
   * Reads one officer's key share when the master key is split (the CLI: a hidden prompt, or a
   * line of piped standard input); null when no more will come. Without it, {@link openApp}
   * refuses a split key with a StartupError.
   */
  readonly readShare?: (prompt: string) => Promise<string | null>;
}

/** A process either open, or sealed until officers give enough key shares. */
export type Vault =
  | { readonly sealed: false; readonly app: AppContext }
  | {
      readonly sealed: true;
      readonly vault: SealedVault<AppContext>;
      readonly location: string;
      /** Closes the opened application, or the store while still sealed. */
      close(): Promise<void>;
    };

/**
 * Start-up, sealed or not: opens the store (ping, pending migrations), then reads how the master
 * key is held. A key file or MEDVAULT_MASTER_KEY opens the keyring and composes the services at
 * once (composeApp). A key split between officers gives a {@link SealedVault}: the keyring and
 * services are built only when enough valid shares have arrived, and the unseal attempts so far
 * are then ledgered. Started in this order and closed in reverse.
 * @throws StartupError with a message that says what to do.
 */
export async function openVault(config: Config, options: ComposeOptions = {}): Promise<Vault> {
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    try {
      await store.ping();
    } catch (err) {
      throw new StartupError(`cannot reach the database at ${store.location}: ${(err as Error).message}`);
    }
    const migrationsApplied = await migrateToLatest(store).catch((err: unknown) => {
      throw err instanceof MigrationError ? new StartupError(err.message) : err;
    });
    const custody = await loadCustody(store.db);
    if (config.pkcs11 !== undefined) {
      refuseSecondRoot(config, custody);
      const root = openPkcs11Root(config.pkcs11, await Keyring.exists(store.db));
      const app = await assemble(store, config, options, root, {
        migrationsApplied,
        masterKeyCreated: false,
        masterKeyOrigin: root.origin,
      }).catch((err: unknown) => {
        root.close();
        throw err;
      });
      return { sealed: false, app };
    }
    if (custody === undefined) {
      const master = resolveMasterKey({
        fromEnv: config.masterKey,
        dataDir: config.dataDir,
        keyringExists: await Keyring.exists(store.db),
      });
      const app = await assemble(store, config, options, new MasterKeyRoot(master.key, 'master key'), {
        migrationsApplied,
        masterKeyCreated: master.created,
        masterKeyOrigin: master.origin,
      });
      return { sealed: false, app };
    }
    refuseWholeKey(config, custody);
    const vault = new SealedVault<AppContext>(custody, async (key, attempts, dropped) => {
      const app = await assemble(store, config, options, new MasterKeyRoot(key, 'master key'), {
        migrationsApplied,
        masterKeyCreated: false,
        masterKeyOrigin: `${custody.threshold} of ${custody.shares} officer key shares`,
      });
      await ledgerUnseal(app, custody, attempts, dropped);
      return app;
    });
    return {
      sealed: true,
      vault,
      location: store.location,
      close: () => vault.result?.close() ?? store.close(),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * Opens the application for a command: as {@link openVault}, and when the key is split, unseals
 * with shares read through `options.readShare` (the CLI prompts the officers one by one).
 * @throws StartupError when sealed and no (or too few) shares come; AppError share_refused
 *   naming a share that does not match its commitment.
 */
export async function openApp(config: Config, options: OpenOptions = {}): Promise<AppContext> {
  const opened = await openVault(config, options);
  if (!opened.sealed) return opened.app;
  const { vault } = opened;
  const { threshold, shares } = vault.custody;
  try {
    if (options.readShare === undefined)
      throw new StartupError(
        `the master key of ${opened.location} is split between officers (${threshold} of ${shares}): run this command where officers can type their shares`,
      );
    while (vault.result === undefined) {
      const { accepted } = vault.status();
      const text = await options.readShare(`Key share ${accepted + 1} of ${threshold}: `);
      if (text === null)
        throw new StartupError(
          `only ${accepted} of the ${threshold} key shares needed were given: still sealed`,
        );
      await vault.submit(text, 'cli');
    }
    return vault.result;
  } catch (err) {
    await opened.close();
    throw err;
  }
}

/** A keyring sealed in a PKCS#11 token has no master key: one given besides is a mistake. */
function refuseSecondRoot(config: Config, custody: SplitCustody | undefined): void {
  if (custody !== undefined)
    throw new StartupError(
      "MEDVAULT_PKCS11_MODULE is set, but this database's master key is split between officers: re-seal it into the token first (medvault keys reseal --to pkcs11)",
    );
  if (config.masterKey !== undefined)
    throw new StartupError(
      'both MEDVAULT_PKCS11_MODULE and MEDVAULT_MASTER_KEY are set: keep only the one that holds the keyring',
    );
}

/** A split key must not also lie around whole: that would make the split pointless. */
function refuseWholeKey(config: Config, custody: SplitCustody): void {
  const split = `this database's master key is split between officers (${custody.threshold} of ${custody.shares})`;
  if (config.masterKey !== undefined)
    throw new StartupError(`${split}: unset MEDVAULT_MASTER_KEY and unseal with the officers' shares`);
  const file = path.join(config.dataDir, MASTER_KEY_FILE);
  if (fs.existsSync(file))
    throw new StartupError(
      `${split}, yet ${file} exists: destroy that copy of the key and unseal with the shares`,
    );
}

async function assemble(
  store: Store,
  config: Config,
  options: ComposeOptions,
  root: KeyRoot,
  startup: AppContext['startup'],
): Promise<AppContext> {
  const keyring = await Keyring.open(store.db, root, store.location);
  const services = await composeApp(store, keyring, config, options);
  return {
    ...services,
    config,
    store,
    keyring,
    startup,
    close: async () => {
      await services.close();
      await store.close();
      root.close();
    },
  };
}

/** Every unseal attempt made while sealed, as ledger entries (written once the ledger can be). */
async function ledgerUnseal(
  app: AppContext,
  custody: SplitCustody,
  attempts: readonly UnsealAttempt[],
  dropped: number,
): Promise<void> {
  await app.audit.ledger.appendMany(
    app.store.db,
    attempts.map((a) => ({
      actor: null,
      action: 'keys.unseal' as const,
      target: { type: 'master_key', id: custody.setId },
      patientId: null,
      outcome: a.outcome,
      details: {
        share: a.share,
        reason: a.reason,
        source: a.source,
        at: a.at,
        ...(dropped > 0 ? { notKept: dropped } : {}),
      },
    })),
  );
}

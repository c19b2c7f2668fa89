import type { Config } from '../config/config.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest, MigrationError } from '../store/migrate.js';
import { composeApp, type AppServices, type ComposeOptions } from './compose.js';
import { Keyring } from './keyring.js';
import { resolveMasterKey } from './master-key.js';
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

/**
 * Start-up: opens the store (ping, pending migrations), finds the master key and opens the
 * keyring, then composes the services (composeApp). Started in this order and closed in reverse.
 * `options` are for tests and benchmarks (clock, costs, limits); the CLI passes none.
 * @throws StartupError with a message that says what to do.
 */
export async function openApp(config: Config, options: ComposeOptions = {}): Promise<AppContext> {
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
    const master = resolveMasterKey({
      fromEnv: config.masterKey,
      dataDir: config.dataDir,
      keyringExists: await Keyring.exists(store.db),
    });
    const keyring = await Keyring.open(store.db, master.key, store.location);
    const services = await composeApp(store, keyring, config, options);
    return {
      ...services,
      config,
      store,
      keyring,
      startup: { migrationsApplied, masterKeyCreated: master.created, masterKeyOrigin: master.origin },
      close: async () => {
        await services.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

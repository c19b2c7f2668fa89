import type { Config } from '../config/config.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest, MigrationError } from '../store/migrate.js';
import { DataKeys } from './data-keys.js';
import { Keyring } from './keyring.js';
import { resolveMasterKey } from './master-key.js';
import { StartupError } from './startup-error.js';
import { Lockout } from './identity/lockout.js';
import { Sessions } from './identity/sessions.js';

/** Everything a running MedVault process holds: the store, the keyring and the services. */
export interface AppContext {
  readonly config: Config;
  readonly store: Store;
  readonly keyring: Keyring;
  readonly dataKeys: DataKeys;
  readonly sessions: Sessions;
  readonly lockout: Lockout;
  /** What start-up did, for the CLI to report (never secrets). */
  readonly startup: {
    readonly migrationsApplied: string[];
    readonly masterKeyCreated: boolean;
    readonly masterKeyOrigin: string;
  };
  close(): Promise<void>;
}

/**
 * Opens the store, applies migrations, finds the master key and opens the keyring.
 * Started in this order and closed in reverse.
 * @throws StartupError with a message that says what to do.
 */
export async function openApp(config: Config): Promise<AppContext> {
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
    return {
      config,
      store,
      keyring,
      dataKeys: new DataKeys(keyring),
      sessions: new Sessions({
        idleMs: config.sessionIdleMinutes * 60_000,
        absoluteMs: config.sessionMaxHours * 3_600_000,
      }),
      lockout: new Lockout(),
      startup: { migrationsApplied, masterKeyCreated: master.created, masterKeyOrigin: master.origin },
      close: () => store.close(),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

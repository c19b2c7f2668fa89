import type { Config } from '../config/config.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest, MigrationError } from '../store/migrate.js';
import { AuditLedger } from './audit/ledger.js';
import { LedgerAccess } from './audit/ledger-access.js';
import { DataKeys } from './data-keys.js';
import { Keyring } from './keyring.js';
import { resolveMasterKey } from './master-key.js';
import { StartupError } from './startup-error.js';
import { Lockout } from './identity/lockout.js';
import { Sessions } from './identity/sessions.js';
import { createStaffServices, type StaffServices } from './identity/staff-services.js';
import { createPatientServices, type PatientServices } from './identity/patient-services.js';

/** Everything a running MedVault process holds: the store, the keyring and the services. */
export interface AppContext extends StaffServices, PatientServices {
  readonly config: Config;
  readonly store: Store;
  readonly keyring: Keyring;
  readonly dataKeys: DataKeys;
  /** The audit ledger: append inside the action's transaction; checkpoints, proofs, verify. */
  readonly auditLedger: AuditLedger;
  /** Who may read which part of the ledger (HTTP adapters go through this, not the ledger). */
  readonly ledgerAccess: LedgerAccess;
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
    const sessions = new Sessions({
      idleMs: config.sessionIdleMinutes * 60_000,
      absoluteMs: config.sessionMaxHours * 3_600_000,
    });
    const lockout = new Lockout();
    const dataKeys = new DataKeys(keyring);
    const auditLedger = await AuditLedger.open(keyring);
    return {
      config,
      store,
      keyring,
      dataKeys,
      auditLedger,
      ledgerAccess: new LedgerAccess(store.db, auditLedger),
      sessions,
      lockout,
      ...createStaffServices({ db: store.db, keyring, sessions, lockout, audit: auditLedger }),
      ...createPatientServices({ db: store.db, keyring, dataKeys, sessions, lockout, audit: auditLedger }),
      startup: { migrationsApplied, masterKeyCreated: master.created, masterKeyOrigin: master.origin },
      close: () => store.close(),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

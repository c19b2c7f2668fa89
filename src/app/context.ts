import type { Config } from '../config/config.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest, MigrationError } from '../store/migrate.js';
import { createAnalyticsServices } from './analytics/analytics-services.js';
import type { Analytics } from './analytics/analytics-service.js';
import { AuditLedger } from './audit/ledger.js';
import { LedgerAccess } from './audit/ledger-access.js';
import { DataKeys } from './data-keys.js';
import { Attachments } from './records/attachments.js';
import { Keyring } from './keyring.js';
import { resolveMasterKey } from './master-key.js';
import { StartupError } from './startup-error.js';
import { Lockout } from './identity/lockout.js';
import { Sessions } from './identity/sessions.js';
import { createStaffServices, type StaffServices } from './identity/staff-services.js';
import { createPatientServices, type PatientServices } from './identity/patient-services.js';
import { createRecordServices, type RecordServices } from './records/record-services.js';
import { SearchIndex } from './records/search-index.js';
import { DiagnosisCohort } from './records/diagnosis-cohort.js';
import type { VitalsSink } from './records/vitals-sink.js';
import { createPrescriptionServices, type PrescriptionServices } from './prescriptions/prescriptions.js';

/** Everything a running MedVault process holds: the store, the keyring and the services. */
export interface AppContext extends StaffServices, PatientServices, PrescriptionServices, RecordServices {
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
  /** Encrypted image attachments of imaging records (streamed; files under the data folder). */
  readonly attachments: Attachments;
  /** Differentially private statistics over Paillier-encrypted vitals (admins). */
  readonly analytics: Analytics;
  /** Encrypts each new vitals record's numbers for the statistics (the records service calls it). */
  readonly vitalsSink: VitalsSink;
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
    const prescriptionServices = createPrescriptionServices({ db: store.db, dataKeys, audit: auditLedger });
    await prescriptionServices.medicines.seedCatalog();
    const search = new SearchIndex(keyring);
    const analyticsServices = createAnalyticsServices({
      db: store.db,
      dataKeys,
      audit: auditLedger,
      keywords: new DiagnosisCohort(search),
      budget: { epsilonMilli: config.dpEpsilonBudgetMilli, days: config.dpBudgetDays },
    });
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
      ...prescriptionServices,
      ...createRecordServices({
        db: store.db,
        dataKeys,
        audit: auditLedger,
        search,
        vitals: analyticsServices.vitalsSink,
      }),
      attachments: new Attachments({
        db: store.db,
        dataKeys,
        audit: auditLedger,
        dataDir: config.dataDir,
        limitBytes: config.attachmentLimitBytes,
      }),
      analytics: analyticsServices.analytics,
      vitalsSink: analyticsServices.vitalsSink,
      startup: { migrationsApplied, masterKeyCreated: master.created, masterKeyOrigin: master.origin },
      close: async () => {
        await analyticsServices.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

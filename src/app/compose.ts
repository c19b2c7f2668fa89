import type { Config } from '../config/config.js';
import type { Store } from '../store/database.js';
import { composeAnalytics, type AnalyticsServices } from './analytics/index.js';
import { Approvals } from './approvals/index.js';
import { composeAudit, type AuditServices } from './audit/index.js';
import { resolveComposeOptions, type ComposeOptions } from './compose-options.js';
import { DataKeys } from './data-keys.js';
import { composeFhir, type FhirServices } from './fhir/index.js';
import { composeIdentity, type IdentityServices } from './identity/index.js';
import { IdempotentCreates } from './idempotency/index.js';
import { PeriodicWork } from './periodic-work.js';
import { LOCK_IDS, PostgresLeaderLock, soleLeader } from '../store/leader-lock.js';
import type { Keyring } from './keyring.js';
import { composePrescriptions, type PrescriptionsServices } from './prescriptions/index.js';
import { composeRecords, DiagnosisCohort, SearchIndex, type RecordsServices } from './records/index.js';
import { composeSharing, type SharingServices } from './sharing/index.js';

export type { ComposeLimits, ComposeOptions } from './compose-options.js';

/**
 * An attempt that has not committed after 10 minutes died with its process (a retry takes its key
 * over; the longest create, a large upload, takes about a minute); keys are kept a day.
 */
const IDEMPOTENCY_POLICY = { leaseMs: 10 * 60_000, keepMs: 24 * 3_600_000 } as const;

/** The services of a running process, grouped by context (one folder of src/app each). */
export interface AppServices {
  /** Data keys (DEKs) wrapped by the keyring's KEKs: every context seals through it. */
  readonly dataKeys: DataKeys;
  readonly identity: IdentityServices;
  /** The two-person rule: requests a second person approves (src/app/approvals). */
  readonly approvals: Approvals;
  readonly sharing: SharingServices;
  readonly records: RecordsServices;
  readonly prescriptions: PrescriptionsServices;
  readonly analytics: AnalyticsServices;
  readonly audit: AuditServices;
  /** The FHIR R4 adapter over identity, records and prescriptions. */
  readonly fhir: FhirServices;
  /** First answers of creates sent with an `Idempotency-Key`, kept in the database (any server replays them). */
  readonly idempotency: IdempotentCreates;
  /**
   * The cluster's once-only work (checkpoint signing, clean-up), owned by one process through a
   * PostgreSQL advisory lock: started by `medvault serve`, stopped by `close`.
   */
  readonly periodic: PeriodicWork;
  /** Stops background work (automatic checkpoints after a last one, Paillier pool, aggregation workers). The store stays open: it is the caller's. */
  close(): Promise<void>;
}

/**
 * The composition root: builds every context over one open store and keyring, in dependency
 * order — audit (every context appends to its ledger), identity, sharing, prescriptions (and the
 * medicine catalog), analytics (its keyword cohorts read the records' search index), records
 * (each vitals record feeds the analytics sink), fhir (an adapter over identity, records and
 * prescriptions). Nothing else in the code wires services.
 */
export async function composeApp(
  store: Store,
  keyring: Keyring,
  config: Config,
  options: ComposeOptions = {},
): Promise<AppServices> {
  const { db } = store;
  const { clock, argon2, paillierBits, limits } = resolveComposeOptions(options, config);
  const dataKeys = new DataKeys(keyring);
  const audit = await composeAudit({
    db,
    keyring,
    clock,
    checkpoints: {
      everyEntries: config.checkpointEveryEntries,
      everySeconds: config.checkpointEverySeconds,
      file: config.checkpointFile,
      witnesses: config.witnesses,
    },
  });
  const ledger = audit.ledger;
  const approvals = new Approvals({ db, audit: ledger, clock });
  const identity = composeIdentity({
    db,
    keyring,
    dataKeys,
    audit: ledger,
    approvals,
    sessionPolicy: {
      idleMs: config.sessionIdleMinutes * 60_000,
      absoluteMs: config.sessionMaxHours * 3_600_000,
    },
    argon2,
    hashPool: limits.hashPool,
    patientMaxLockMs: config.patientLockMaxMinutes * 60_000,
    secondFactorPolicy: config.secondFactorPolicy,
    enrolmentCodeTtlMs: config.enrolmentCodeHours * 3_600_000,
    clock,
  });
  // Patients registered before migration 021 get their name and date-of-birth blind indexes
  // now: a migration has no keyring to compute them with (one query when there are none).
  await identity.services.patientFinder.indexMissing();
  const sharing = composeSharing(identity.patientDeps);
  const prescriptions = await composePrescriptions({
    db,
    dataKeys,
    audit: ledger,
    clock,
    refills: { duePercent: config.refillDuePercent, fallbackDays: config.refillFallbackDays },
  });
  const search = new SearchIndex(keyring);
  const analytics = composeAnalytics({
    db,
    dataKeys,
    audit: ledger,
    keywords: new DiagnosisCohort(search),
    approvals,
    budget: {
      epsilonMilli: config.dpEpsilonBudgetMilli,
      days: config.dpBudgetDays,
      analystShareMilli: config.dpAnalystShareMilli,
    },
    key: { bits: paillierBits, poolSize: limits.paillierPool },
    clock,
  });
  const records = composeRecords({
    db,
    dataKeys,
    audit: ledger,
    search,
    vitals: analytics.services.vitalsSink,
    clock,
    dataDir: config.dataDir,
    // Several servers share one PostgreSQL database, never one data folder.
    attachmentStorage: store.dialect === 'postgres' ? 'database' : 'files',
    attachmentLimitBytes: limits.attachmentBytes,
  });
  const fhir = composeFhir({
    patients: identity.services.patients,
    directory: identity.services.patientDirectory,
    records: records.records,
    prescriptions: prescriptions.prescriptions,
    attachments: records.attachments,
    accessLog: records.accessLog,
  });
  const idempotency = new IdempotentCreates(db, dataKeys, clock, IDEMPOTENCY_POLICY);
  const periodic = new PeriodicWork({
    db,
    lock:
      store.dialect === 'postgres' && config.databaseUrl !== undefined
        ? new PostgresLeaderLock(config.databaseUrl, LOCK_IDS.periodicWork)
        : soleLeader,
    checkpoints: audit.autoCheckpoints,
    idempotency,
    clock,
  });
  return {
    dataKeys,
    fhir,
    idempotency,
    periodic,
    identity: identity.services,
    approvals,
    sharing,
    records,
    prescriptions,
    analytics: analytics.services,
    audit,
    close: async () => {
      // The last checkpoint first: it needs the store, and covers every entry written until now.
      await periodic.stop();
      await audit.autoCheckpoints.stop();
      await analytics.close();
    },
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../../src/app/actor.js';
import {
  createAnalyticsServices,
  type AnalyticsServices,
} from '../../src/app/analytics/analytics-services.js';
import type { UnsafeTestOptions } from '../../src/app/analytics/analytics-service.js';
import type { CohortKeywordResolver } from '../../src/app/analytics/cohorts.js';
import { AuditLedger } from '../../src/app/audit/ledger.js';
import { DataKeys } from '../../src/app/data-keys.js';
import { patientField } from '../../src/app/identity/patients.js';
import { Keyring } from '../../src/app/keyring.js';
import type { MeasuredVital } from '../../src/contract/vocabulary/vital-metrics.js';
import {
  openStore,
  withTransaction,
  type Db,
  type DialectName,
  type Store,
} from '../../src/store/database.js';
import { insertPatient } from '../../src/store/patient-repository.js';
import { insertStaff } from '../helpers/patients.js';
import { createTestStore, type TestStore } from '../helpers/stores.js';

export const MASTER = Buffer.alloc(32, 9);

/** A diagnosis resolver over a fixed map (the records module supplies the real one). */
export class FixedKeywords implements CohortKeywordResolver {
  readonly byKeyword = new Map<string, Set<string>>();
  async patientIdsForKeyword(_db: Db, keyword: string): Promise<ReadonlySet<string>> {
    return this.byKeyword.get(keyword) ?? new Set();
  }
}

export interface AnalyticsWorld extends AnalyticsServices {
  readonly t: TestStore;
  readonly db: Db;
  readonly dataKeys: DataKeys;
  readonly ledger: AuditLedger;
  readonly keywords: FixedKeywords;
  readonly admin: Actor;
  /** Inserts a patient row directly (sealed date of birth; no credentials work). */
  patient(dateOfBirth: string, smokingStatus?: string): Promise<string>;
  /** Stores a vitals record through the sink, in a transaction of its own. */
  vitals(
    patientId: string,
    values: Partial<Record<MeasuredVital, number>>,
    measuredAt?: number,
  ): Promise<string>;
  /** The same analytics over a second store handle on the same database ("another server"). */
  secondServer(unsafe?: UnsafeTestOptions): Promise<{ services: AnalyticsServices; store: Store }>;
  dispose(): Promise<void>;
}

export interface WorldOptions {
  readonly budgetMilli?: number;
  readonly days?: number;
  readonly clock?: () => number;
  readonly unsafe?: UnsafeTestOptions;
  readonly bits?: 1024 | 2048 | 3072;
}

/** A migrated store with a keyring, a real ledger and the analytics services (1024-bit test key). */
export async function analyticsWorld(
  dialect: DialectName,
  options: WorldOptions = {},
): Promise<AnalyticsWorld> {
  const t = await createTestStore(dialect);
  const db = t.store.db;
  const keyring = await Keyring.open(db, MASTER, 'test');
  const dataKeys = new DataKeys(keyring);
  const ledger = await AuditLedger.open(keyring);
  const keywords = new FixedKeywords();
  const make = (d: Db, dk: DataKeys, audit: AuditLedger, unsafe: UnsafeTestOptions = {}): AnalyticsServices =>
    createAnalyticsServices(
      {
        db: d,
        dataKeys: dk,
        audit,
        budget: { epsilonMilli: options.budgetMilli ?? 5000, days: options.days ?? 30 },
        keywords,
        key: { bits: options.bits ?? 1024, poolSize: 16 },
        clock: options.clock,
      },
      unsafe,
    );
  const services = make(db, dataKeys, ledger, options.unsafe);
  const admin = await insertStaff(db, 'admin');
  const extra: Array<{ services: AnalyticsServices; store: Store }> = [];
  return {
    ...services,
    t,
    db,
    dataKeys,
    ledger,
    keywords,
    admin,
    patient: async (dateOfBirth, smokingStatus = 'never') => {
      const id = randomUUID();
      await withTransaction(db, async (tx) => {
        const dobCt = await dataKeys.seal(tx, patientField(id, 'dob'), Buffer.from(dateOfBirth, 'utf8'));
        await insertPatient(tx, {
          id,
          ssnIndex: randomBytes(32),
          ssnCt: randomBytes(48),
          nameCt: randomBytes(48),
          dobCt,
          pinHash: 'x',
          passwordHash: 'x',
          recoveryHash: 'x',
          smokingStatus,
          createdBy: admin.userId,
          now: Date.now(),
        });
      });
      return id;
    },
    vitals: async (patientId, values, measuredAt = Date.UTC(2025, 5, 1)) => {
      const recordId = randomUUID();
      await withTransaction(db, (tx) =>
        services.vitalsSink.store(tx, { recordId, patientId, measuredAt, values }),
      );
      return recordId;
    },
    secondServer: async (unsafe) => {
      const store = openStore({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
      const kr = await Keyring.open(store.db, MASTER, 'test-2');
      const s = { services: make(store.db, new DataKeys(kr), await AuditLedger.open(kr), unsafe), store };
      extra.push(s);
      return s;
    },
    dispose: async () => {
      for (const s of extra) {
        await s.services.close();
        await s.store.close();
      }
      await services.close();
      await t.dispose();
    },
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { nextTestMrn } from '../support/test-mrn.js';
import type { Actor } from '../../src/app/actor.js';
import {
  composeAnalytics,
  type AnalyticsServices,
  type CohortKeywordResolver,
  type ComposedAnalytics,
  type UnsafeTestOptions,
} from '../../src/app/analytics/index.js';
import type { AppServices } from '../../src/app/compose.js';
import { patientField } from '../../src/app/identity/patients.js';
import type { MeasuredVital } from '../../src/contract/vocabulary/vital-metrics.js';
import { withTransaction, type Db, type DialectName, type Store } from '../../src/store/database.js';
import { insertPatient } from '../../src/store/patient-repository.js';
import { TestClock } from '../support/clock.js';
import { insertStaff } from '../support/people.js';
import { openTestWorld, type TestWorld } from '../support/world.js';

/** A diagnosis resolver over a fixed map (the records context supplies the real one). */
export class FixedKeywords implements CohortKeywordResolver {
  readonly byKeyword = new Map<string, Set<string>>();
  async patientIdsForKeyword(_db: Db, keyword: string): Promise<ReadonlySet<string>> {
    return this.byKeyword.get(keyword) ?? new Set();
  }
}

/**
 * A test world whose analytics context is composed (through the context's public entry) with
 * the statistics tests' seams: diagnosis cohorts from a fixed map instead of the records'
 * search index, the budget given directly (beyond what a setting allows), and — only where a
 * test asks — the noise switched off. composeApp never passes these.
 */
export interface AnalyticsWorld extends Omit<TestWorld, 'analytics'> {
  readonly analytics: AnalyticsServices;
  readonly ledger: TestWorld['audit']['ledger'];
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
  secondServer(): Promise<AppServices & { readonly store: Store }>;
}

export interface AnalyticsWorldOptions {
  readonly budgetMilli?: number;
  readonly days?: number;
  /** Share of the budget one analyst may spend, in thousandths (default 1000: no split). */
  readonly analystShareMilli?: number;
  readonly clock?: TestClock;
  readonly unsafe?: UnsafeTestOptions;
}

export async function analyticsWorld(
  dialect: DialectName,
  options: AnalyticsWorldOptions = {},
): Promise<AnalyticsWorld> {
  // Real time unless the test moves it (budget windows, ages at measurement).
  const world = await openTestWorld({ db: dialect, clock: options.clock ?? new TestClock('system') });
  const { db, dataKeys } = world;
  const keywords = new FixedKeywords();
  const composed: ComposedAnalytics[] = [];
  const analyticsOf = (app: AppServices & { readonly store: Store }): AnalyticsServices => {
    const c = composeAnalytics(
      {
        db: app.store.db,
        dataKeys: app.dataKeys,
        audit: app.audit.ledger,
        budget: {
          epsilonMilli: options.budgetMilli ?? 5000,
          days: options.days ?? 30,
          analystShareMilli: options.analystShareMilli ?? 1000,
        },
        keywords,
        key: { bits: world.options.paillierBits, poolSize: world.options.limits?.paillierPool },
        clock: world.clock.read,
      },
      options.unsafe,
    );
    composed.push(c);
    return c.services;
  };
  const analytics = analyticsOf(world);
  const admin = await insertStaff(db, 'admin');
  return {
    ...world,
    analytics,
    ledger: world.audit.ledger,
    keywords,
    admin,
    patient: async (dateOfBirth, smokingStatus = 'never') => {
      const id = randomUUID();
      await withTransaction(db, async (tx) => {
        const dobCt = await dataKeys.seal(tx, patientField(id, 'dob'), Buffer.from(dateOfBirth, 'utf8'));
        await insertPatient(tx, {
          id,
          ssnIndex: randomBytes(32),
          mrn: nextTestMrn(),
          ssnCt: randomBytes(48),
          nameCt: randomBytes(48),
          dobCt,
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
        analytics.vitalsSink.store(tx, { recordId, patientId, measuredAt, values }),
      );
      return recordId;
    },
    secondServer: async () => {
      const second = await world.secondServer();
      return { ...second, analytics: analyticsOf(second) };
    },
    dispose: async () => {
      for (const c of composed) await c.close();
      await world.dispose();
    },
  };
}

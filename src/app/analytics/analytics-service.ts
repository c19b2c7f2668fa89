import { randomUUID } from 'node:crypto';
import { CiphertextAggregator } from '../../crypto/paillier-aggregate.js';
import { IntegrityError } from '../../crypto/errors.js';
import { latestVitalCiphertexts, type LatestVitalRow } from '../../store/analytics-repository.js';
import { withTransaction, type Db } from '../../store/database.js';
import { AccessScope } from '../access/index.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { AppError, integrityFailure, invalidInput, unavailable } from '../errors.js';
import type { AnalyticsKey, AnalyticsKeyStore } from './analytics-key.js';
import { parseQuery, type AnalyticsQuery, type AnalyticsQueryInput } from './analytics-query.js';
import { releaseAnswer, type AnalyticsAnswer } from './answer.js';
import type { CohortKeywordResolver } from './cohorts.js';
import { exactNoise, type NoiseSource } from './dp-release.js';
import type { BudgetReport, PrivacyBudget } from './privacy-budget.js';
import { unpackVital } from './vital-packing.js';

export type { AnalyticsAnswer } from './answer.js';

export interface AnalyticsDeps {
  readonly db: Db;
  readonly keys: AnalyticsKeyStore;
  readonly budget: PrivacyBudget;
  readonly audit: LedgerAppend;
  /** Diagnosis-keyword cohorts (the records module's search index); without it they are 503. */
  readonly keywords?: CohortKeywordResolver | undefined;
  readonly aggregator?: CiphertextAggregator;
  readonly clock?: () => number;
}

/**
 * Test harness only: answers without noise, so a test can compare a homomorphic total with the
 * plaintext one. Deliberately a constructor argument of its own — no configuration setting,
 * environment variable, route or CLI flag reaches it, and openApp never passes it.
 */
export interface UnsafeTestOptions {
  readonly noiseOff?: true;
}

/**
 * Privacy-preserving statistics for admins (`analytics.query`). A query selects each cohort
 * patient's latest encrypted measurement of a metric, checks the MAC of every row it uses, multiplies the
 * Paillier ciphertexts (both cores), decrypts only the total, takes the metric's slot of it (the
 * ciphertexts pack a whole record: vital-packing.ts), and releases that through the discrete
 * Laplace mechanism with the analyst's epsilon; a mean releases a noisy sum and a noisy count with
 * half the epsilon each. The epsilon comes out of the hospital's budget for the window (and the
 * analyst's share of it, when split: privacy-budget.ts). The spend and its `analytics.query`
 * ledger entry commit together; a query over budget is refused (429), spends nothing and leaves a
 * `denied` entry. No statistic is ever
 * returned without noise (see UnsafeTestOptions for the one test-only exception).
 */
export class Analytics {
  private readonly aggregator: CiphertextAggregator;
  private readonly noise: NoiseSource | null;
  private readonly now: () => number;

  constructor(
    private readonly deps: AnalyticsDeps,
    unsafeTest: UnsafeTestOptions = {},
  ) {
    this.aggregator = deps.aggregator ?? new CiphertextAggregator();
    this.noise = unsafeTest.noiseOff === true ? null : exactNoise;
    this.now = deps.clock ?? Date.now;
  }

  /**
   * The hospital's privacy budget in the current window, the caller's share of it when split,
   * when the window resets, and what each analyst spent in it.
   * @throws AppError forbidden for non-admins.
   */
  async budget(scope: AccessScope): Promise<BudgetReport> {
    scope.require('analytics.query');
    return this.deps.budget.report(this.deps.db, scope.userId, this.now());
  }

  /**
   * Runs one differentially private query.
   * @throws AppError forbidden, invalid_input, privacy_budget_exhausted (429), integrity_failure
   *   (a stored ciphertext or MAC is wrong), unavailable (diagnosis cohorts not wired).
   */
  async query(scope: AccessScope, input: AnalyticsQueryInput): Promise<AnalyticsAnswer> {
    scope.require('analytics.query');
    const q = parseQuery(input);
    const { db, budget, audit } = this.deps;
    const now = this.now();
    await this.refusingOverBudget(scope, q, () => budget.precheck(db, scope.userId, q.epsilonMilli, now));
    const truth = await this.evaluate(q);
    const answer = releaseAnswer(q, truth, this.noise ?? ((): bigint => 0n));
    const queryId = randomUUID();
    const status = await this.refusingOverBudget(scope, q, () =>
      withTransaction(db, async (tx) => {
        const after = await budget.reserve(tx, scope.userId, q.epsilonMilli, now);
        const { seq } = await audit.append(tx, {
          actor: scope.actor,
          action: 'analytics.query',
          target: { type: 'analytics_query', id: queryId },
          patientId: null,
          outcome: 'success',
          details: {
            ...queryDetails(q),
            value: answer.value,
            noiseScale: { ...answer.noiseScale },
            remainingEpsilon: after.remainingEpsilon,
            ...(after.analyst === null ? {} : { analystRemainingEpsilon: after.analyst.remainingEpsilon }),
          },
        });
        await budget.record(tx, {
          id: queryId,
          analystId: scope.userId,
          epsilonMilli: q.epsilonMilli,
          now,
          ledgerSeq: seq,
        });
        return after;
      }),
    );
    return { ...answer, budget: status };
  }

  /**
   * The access scope of the admin account a server operator's command line acts for
   * (`medvault analytics --as`): the operator already holds the database and the master key, so
   * naming an active admin is the same trust as `medvault users add`; the query then spends from
   * the hospital's budget (and that admin's share) and is ledgered under their id like a request
   * of theirs.
   * @throws AppError invalid_input unless `username` is an active account that may run statistics.
   */
  async operatorScope(username: string): Promise<AccessScope> {
    const scope = await AccessScope.ofAccount(this.deps.db, username, this.now());
    if (scope === null || !scope.may('analytics.query'))
      throw invalidInput(`${username} is not an active admin account.`);
    return scope;
  }

  /** Ends the aggregation workers. */
  async close(): Promise<void> {
    await this.aggregator.close();
  }

  /** Runs `step`; a privacy_budget_exhausted refusal leaves a `denied` ledger entry of its own. */
  private async refusingOverBudget<T>(
    scope: AccessScope,
    q: AnalyticsQuery,
    step: () => Promise<T>,
  ): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof AppError && err.code === 'privacy_budget_exhausted') {
        await this.deps.audit.append(this.deps.db, {
          actor: scope.actor,
          action: 'analytics.query',
          target: null,
          patientId: null,
          outcome: 'denied',
          details: { ...queryDetails(q), reason: 'privacy_budget_exhausted' },
        });
      }
      throw err;
    }
  }

  /** The cohort's count and (unless a count) the decrypted total of its fixed-point values. */
  private async evaluate(q: AnalyticsQuery): Promise<{ count: number; sum: bigint }> {
    const { db } = this.deps;
    const key = await this.deps.keys.get(db);
    const rows = await this.cohortRows(key, q);
    const pk = key.paillier.publicKey;
    if (q.aggregate === 'count' || rows.length === 0) {
      verifyRows(key, rows);
      return { count: rows.length, sum: 0n };
    }
    // The workers multiply while this thread checks the MACs; a failed MAC discards the product.
    const product = this.aggregator
      .product(pk.n2, Buffer.concat(rows.map((r) => r.record.ciphertext)), pk.ciphertextBytes)
      .then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    let macFailure: unknown;
    try {
      verifyRows(key, rows);
    } catch (err) {
      macFailure = err;
    }
    const settled = await product;
    if (macFailure !== undefined) throw macFailure;
    if ('error' in settled) {
      if (settled.error instanceof IntegrityError)
        throw integrityFailure('A stored vital ciphertext is invalid.');
      throw settled.error;
    }
    // Each row's ciphertext packs its whole record; the metric asked for is one slot of the total.
    return { count: rows.length, sum: unpackVital(key.paillier.decryptRaw(settled.value), q.metric.key) };
  }

  private async cohortRows(key: AnalyticsKey, q: AnalyticsQuery): Promise<LatestVitalRow[]> {
    const { db } = this.deps;
    const c = q.cohort;
    let rows = await latestVitalCiphertexts(db, {
      metric: q.metric.key,
      keyId: key.id,
      smokingStatus: c.kind === 'smoking' ? c.status : undefined,
    });
    if (c.kind === 'age_band') {
      const tags = new Set<string>();
      for (let age = c.from; age <= c.to; age++) tags.add(key.tags.ageTag(age).toString('hex'));
      rows = rows.filter((r) => tags.has(r.record.ageTag.toString('hex')));
    } else if (c.kind === 'diagnosis') {
      if (this.deps.keywords === undefined) throw unavailable('Diagnosis cohorts are not available yet.');
      const ids = await this.deps.keywords.patientIdsForKeyword(db, c.keyword);
      rows = rows.filter((r) => ids.has(r.patientId));
    }
    return rows;
  }
}

/**
 * Every record a statistic uses must carry its MAC (and the key's ciphertext length), and the
 * index row that chose it must agree with it: a ciphertext edited, moved to another record or
 * patient, or inserted without the key, or an index row claiming a metric, patient or time its
 * record does not have, is refused (422).
 */
function verifyRows(key: AnalyticsKey, rows: readonly LatestVitalRow[]): void {
  for (const { metric, patientId, measuredAt, record } of rows)
    if (
      record.ciphertext.length !== key.paillier.publicKey.ciphertextBytes ||
      !key.tags.verify(record, record.mac) ||
      record.patientId !== patientId ||
      record.measuredAt !== measuredAt ||
      !record.metrics.split(',').includes(metric)
    )
      throw integrityFailure('A stored vital failed its integrity check.');
}

function queryDetails(q: AnalyticsQuery): Record<string, string | number> {
  const c = q.cohort;
  return {
    metric: q.metric.key,
    aggregate: q.aggregate,
    cohort: c.kind,
    ...(c.kind === 'smoking' ? { status: c.status } : {}),
    ...(c.kind === 'age_band' ? { from: c.from, to: c.to } : {}),
    ...(c.kind === 'diagnosis' ? { keyword: c.keyword } : {}),
    epsilon: q.epsilonMilli / 1000,
  };
}

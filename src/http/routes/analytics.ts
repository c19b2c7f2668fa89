import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app/context.js';
import { VITAL_KEYS, VITAL_METRICS } from '../../contract/vocabulary/vital-metrics.js';
import { errorResponses } from '../api-error-schema.js';
import type { App } from '../app-type.js';
import { requireScope } from '../auth.js';
import { SMOKING_STATUSES } from '../../app/identity/index.js';
import {
  AGGREGATES,
  MAX_EPSILON,
  MIN_EPSILON,
  MAX_COHORT_KEYWORD_LENGTH,
} from '../../app/analytics/index.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Age = Type.Integer({ minimum: VITAL_METRICS.age.min, maximum: VITAL_METRICS.age.max });

const CohortBody = Type.Union(
  [
    Type.Object({ kind: Type.Literal('all') }, { additionalProperties: false }),
    Type.Object(
      { kind: Type.Literal('smoking'), status: literals(SMOKING_STATUSES) },
      { additionalProperties: false },
    ),
    Type.Object({ kind: Type.Literal('age_band'), from: Age, to: Age }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('diagnosis'),
        keyword: Type.String({ minLength: 1, maxLength: MAX_COHORT_KEYWORD_LENGTH }),
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      'Whose measurements: everyone, a smoking status, an age band (inclusive), a diagnosis keyword.',
  },
);

const QueryBody = Type.Object(
  {
    metric: literals(VITAL_KEYS),
    aggregate: literals(AGGREGATES),
    cohort: CohortBody,
    epsilon: Type.Number({
      minimum: MIN_EPSILON,
      maximum: MAX_EPSILON,
      description: 'Privacy loss this query spends from your budget (steps of 0.001).',
    }),
  },
  { additionalProperties: false },
);

const Budget = Type.Object(
  {
    totalEpsilon: Type.Number(),
    spentEpsilon: Type.Number(),
    remainingEpsilon: Type.Number(),
    windowDays: Type.Number({ description: 'The budget is a sliding window of this many days.' }),
  },
  { additionalProperties: false, title: 'PrivacyBudget' },
);

const Answer = Type.Object(
  {
    metric: Type.String(),
    unit: Type.String(),
    aggregate: Type.String(),
    cohort: Type.Object({
      kind: Type.String(),
      status: Type.Optional(Type.String()),
      from: Type.Optional(Type.Integer()),
      to: Type.Optional(Type.Integer()),
      keyword: Type.Optional(Type.String()),
    }),
    cohortLabel: Type.String(),
    epsilon: Type.Number(),
    value: Type.Union([Type.Number(), Type.Null()], {
      description: 'The noisy statistic (never exact); null for a mean whose noisy count is below 1.',
    }),
    interval95: Type.Union([Type.Object({ low: Type.Number(), high: Type.Number() }), Type.Null()], {
      description: 'Holds the true value with probability at least 95%.',
    }),
    noiseScale: Type.Object(
      { count: Type.Optional(Type.Number()), sum: Type.Optional(Type.Number()) },
      { description: 'Discrete Laplace scale of each noisy part (count in patients, sum in the unit).' },
    ),
    budget: Budget,
  },
  { additionalProperties: false, title: 'AnalyticsAnswer' },
);

/**
 * Differentially private statistics (admins): one query per request, its epsilon spent from the
 * caller's budget; 429 `privacy_budget_exhausted` when it does not fit. Thin: the service decides.
 */
export async function analyticsRoutes(app: App, { ctx }: { ctx: AppContext }): Promise<void> {
  app.post<{ Body: Static<typeof QueryBody> }>(
    '/api/v1/analytics/query',
    {
      schema: {
        tags: ['analytics'],
        summary: 'A noisy count, sum or mean of a vital over a cohort (spends epsilon; admin).',
        body: QueryBody,
        response: { 200: Answer, ...errorResponses(400, 401, 403, 422, 429, 503) },
      },
    },
    async (request) => ctx.analytics.statistics.query(requireScope(request), request.body),
  );

  app.get(
    '/api/v1/analytics/budget',
    {
      schema: {
        tags: ['analytics'],
        summary: "The caller's privacy budget: total, spent and remaining epsilon in the window (admin).",
        response: { 200: Budget, ...errorResponses(401, 403) },
      },
    },
    async (request) => ctx.analytics.statistics.budget(requireScope(request)),
  );
}

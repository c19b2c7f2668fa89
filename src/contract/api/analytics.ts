import { Type, type Static } from '@sinclair/typebox';
import { AGGREGATES, MAX_COHORT_KEYWORD_LENGTH, MAX_EPSILON, MIN_EPSILON } from '../vocabulary/analytics.js';
import { SMOKING_STATUSES } from '../vocabulary/patients.js';
import { VITAL_KEYS, VITAL_METRICS } from '../vocabulary/vital-metrics.js';
import { closed, Nullable } from './common.js';
import { route } from './route.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Age = Type.Integer({ minimum: VITAL_METRICS.age.min, maximum: VITAL_METRICS.age.max });

export const Cohort = Type.Union(
  [
    Type.Object({ kind: Type.Literal('all') }, closed),
    Type.Object({ kind: Type.Literal('smoking'), status: literals(SMOKING_STATUSES) }, closed),
    Type.Object({ kind: Type.Literal('age_band'), from: Age, to: Age }, closed),
    Type.Object(
      {
        kind: Type.Literal('diagnosis'),
        keyword: Type.String({ minLength: 1, maxLength: MAX_COHORT_KEYWORD_LENGTH }),
      },
      closed,
    ),
  ],
  {
    description:
      'Whose measurements: everyone, a smoking status, an age band (inclusive), a diagnosis keyword.',
  },
);
export type Cohort = Static<typeof Cohort>;

export const AnalyticsQuery = Type.Object(
  {
    metric: literals(VITAL_KEYS),
    aggregate: literals(AGGREGATES),
    cohort: Cohort,
    epsilon: Type.Number({
      minimum: MIN_EPSILON,
      maximum: MAX_EPSILON,
      description: 'Privacy loss this query spends from your budget (steps of 0.001).',
    }),
  },
  closed,
);
export type AnalyticsQuery = Static<typeof AnalyticsQuery>;

export const PrivacyBudget = Type.Object(
  {
    totalEpsilon: Type.Number(),
    spentEpsilon: Type.Number(),
    remainingEpsilon: Type.Number(),
    windowDays: Type.Number({ description: 'The budget is a sliding window of this many days.' }),
  },
  { ...closed, title: 'PrivacyBudget' },
);
export type PrivacyBudget = Static<typeof PrivacyBudget>;

export const AnalyticsAnswer = Type.Object(
  {
    metric: Type.String(),
    unit: Type.String(),
    aggregate: Type.String(),
    cohort: Type.Object(
      {
        kind: Type.String(),
        status: Type.Optional(Type.String()),
        from: Type.Optional(Type.Integer()),
        to: Type.Optional(Type.Integer()),
        keyword: Type.Optional(Type.String()),
      },
      closed,
    ),
    cohortLabel: Type.String(),
    epsilon: Type.Number(),
    value: Nullable(Type.Number(), {
      description: 'The noisy statistic (never exact); null for a mean whose noisy count is below 1.',
    }),
    interval95: Nullable(Type.Object({ low: Type.Number(), high: Type.Number() }, closed), {
      description: 'Holds the true value with probability at least 95%.',
    }),
    noiseScale: Type.Object(
      { count: Type.Optional(Type.Number()), sum: Type.Optional(Type.Number()) },
      {
        ...closed,
        description: 'Discrete Laplace scale of each noisy part (count in patients, sum in the unit).',
      },
    ),
    budget: PrivacyBudget,
  },
  { ...closed, title: 'AnalyticsAnswer' },
);
export type AnalyticsAnswer = Static<typeof AnalyticsAnswer>;

const tags = ['analytics'];

/** Differentially private statistics (admins): each query spends epsilon from the caller's budget. */
export const analyticsRoutes = {
  analyticsQuery: route({
    method: 'POST',
    path: '/api/v1/analytics/query',
    tags,
    summary: 'A noisy count, sum or mean of a vital over a cohort (spends epsilon; admin).',
    body: AnalyticsQuery,
    ok: { 200: AnalyticsAnswer },
    errors: [401, 403, 422, 429],
  }),
  privacyBudget: route({
    method: 'GET',
    path: '/api/v1/analytics/budget',
    tags,
    summary: "The caller's privacy budget: total, spent and remaining epsilon in the window (admin).",
    ok: { 200: PrivacyBudget },
    errors: [401, 403],
  }),
} as const;

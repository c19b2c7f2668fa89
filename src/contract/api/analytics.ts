import { Type, type Static } from '@sinclair/typebox';
import { AGGREGATES, MAX_COHORT_KEYWORD_LENGTH, MAX_EPSILON, MIN_EPSILON } from '../vocabulary/analytics.js';
import { SMOKING_STATUSES } from '../vocabulary/patients.js';
import { VITAL_KEYS, VITAL_METRICS } from '../vocabulary/vital-metrics.js';
import { closed, EpochMs, Nullable } from './common.js';
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
      description: "Privacy loss this query spends from the hospital's budget (steps of 0.001).",
    }),
  },
  closed,
);
export type AnalyticsQuery = Static<typeof AnalyticsQuery>;

const budgetFields = {
  totalEpsilon: Type.Number({ description: "The hospital's epsilon per window, all analysts together." }),
  spentEpsilon: Type.Number({ description: 'Spent by every analyst in the current window.' }),
  remainingEpsilon: Type.Number({
    description: "What is left of the hospital's budget in the current window.",
  }),
  windowDays: Type.Number({
    description: 'Length of a window (consecutive windows from 1970-01-01 00:00 UTC).',
  }),
  windowStartedAt: EpochMs('When the current window began.'),
  resetsAt: EpochMs('When the current window ends and the whole budget is available again.'),
  analyst: Nullable(
    Type.Object(
      {
        shareEpsilon: Type.Number({ description: 'The most any one analyst may spend per window.' }),
        spentEpsilon: Type.Number({ description: 'What the caller spent in the current window.' }),
        remainingEpsilon: Type.Number({
          description: "What the caller may still spend: their share's rest, at most the hospital's.",
        }),
      },
      closed,
    ),
    { description: "The caller's share of the budget; null when it is not split between analysts." },
  ),
};

/** The hospital's privacy budget in the current window (and the caller's share, when split). */
export const PrivacyBudget = Type.Object(budgetFields, { ...closed, title: 'PrivacyBudget' });
export type PrivacyBudget = Static<typeof PrivacyBudget>;

export const AnalystSpend = Type.Object(
  {
    analystId: Type.String(),
    name: Type.String(),
    spentEpsilon: Type.Number(),
    queries: Type.Integer(),
    lastSpentAt: EpochMs(),
  },
  { ...closed, title: 'AnalystSpend' },
);

/** The budget as the statistics page shows it: with what each analyst spent in the window. */
export const PrivacyBudgetReport = Type.Object(
  {
    ...budgetFields,
    analysts: Type.Array(AnalystSpend, {
      description: 'Each analyst who spent in the current window, largest spend first.',
    }),
  },
  { ...closed, title: 'PrivacyBudgetReport' },
);
export type PrivacyBudgetReport = Static<typeof PrivacyBudgetReport>;

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
    precision: Type.Union([Type.Literal('useful'), Type.Literal('low')], {
      description:
        "'low' when the expected noise is large against what is measured (a cohort too small for this ε); judged from the released values only, so it reveals nothing more about the cohort.",
    }),
    expectedError: Nullable(Type.Number(), {
      description: 'The expected absolute error of the value, in its unit; null when there is no value.',
    }),
    budget: PrivacyBudget,
  },
  { ...closed, title: 'AnalyticsAnswer' },
);
export type AnalyticsAnswer = Static<typeof AnalyticsAnswer>;

const tags = ['analytics'];

/** Differentially private statistics (admins): each query spends epsilon from the hospital's budget. */
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
    summary:
      "The hospital's privacy budget in the current window: total, spent, remaining, when it resets, the caller's share and each analyst's spend (admin).",
    ok: { 200: PrivacyBudgetReport },
    errors: [401, 403],
  }),
} as const;

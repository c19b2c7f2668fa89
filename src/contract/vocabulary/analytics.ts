/** The statistics an admin may ask for (differential privacy, docs/analytics.md). */
export const AGGREGATES = ['count', 'sum', 'mean'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** Epsilon per query: at least 0.01 (noise that swamps any answer is no use), at most 2. */
export const MIN_EPSILON = 0.01;
export const MAX_EPSILON = 2;

/** Whose measurements a statistic is about. */
export const COHORT_KINDS = ['all', 'smoking', 'age_band', 'diagnosis'] as const;
export type CohortKind = (typeof COHORT_KINDS)[number];
/** Characters of a diagnosis keyword naming a cohort. */
export const MAX_COHORT_KEYWORD_LENGTH = 60;

/**
 * Differentially private statistics (admin only): run one query, read the privacy budget.
 * Every answer is noisy by construction; the UI shows the noise scale and the 95% interval the
 * server states with it, never a bare number.
 */
import { apiGet, apiPost, isRecord } from './client.js';
import { malformed, textOf } from './parse.js';

/** The vitals the server aggregates (its declared metrics; age is derived from the date of birth). */
export const METRICS = [
  { key: 'age', label: 'Age', unit: 'years' },
  { key: 'heartRate', label: 'Heart rate', unit: 'bpm' },
  { key: 'systolic', label: 'Systolic blood pressure', unit: 'mmHg' },
  { key: 'diastolic', label: 'Diastolic blood pressure', unit: 'mmHg' },
  { key: 'weight', label: 'Weight', unit: 'kg' },
  { key: 'temperature', label: 'Body temperature', unit: '°C' },
  { key: 'glucose', label: 'Blood glucose', unit: 'mg/dL' },
] as const;
export const AGGREGATES = ['mean', 'sum', 'count'] as const;
export type Aggregate = (typeof AGGREGATES)[number];
export const SMOKING = ['never', 'former', 'current', 'unknown'] as const;
export const MIN_EPSILON = 0.01;
export const MAX_EPSILON = 2;

export type Cohort =
  | { readonly kind: 'all' }
  | { readonly kind: 'smoking'; readonly status: string }
  | { readonly kind: 'age_band'; readonly from: number; readonly to: number }
  | { readonly kind: 'diagnosis'; readonly keyword: string };

export interface StatisticsQuery {
  readonly metric: string;
  readonly aggregate: Aggregate;
  readonly cohort: Cohort;
  readonly epsilon: number;
}

export interface Budget {
  readonly totalEpsilon: number;
  readonly spentEpsilon: number;
  readonly remainingEpsilon: number;
  readonly windowDays: number;
}

export interface StatisticsAnswer {
  readonly metric: string;
  readonly unit: string;
  readonly aggregate: string;
  readonly cohortLabel: string;
  readonly epsilon: number;
  readonly value: number | null;
  readonly interval: { readonly low: number; readonly high: number } | null;
  readonly noiseScale: { readonly count?: number; readonly sum?: number };
  readonly budget: Budget;
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

function parseBudget(body: unknown): Budget | undefined {
  if (!isRecord(body)) return undefined;
  const [totalEpsilon, spentEpsilon, remainingEpsilon, windowDays] = [
    num(body.totalEpsilon),
    num(body.spentEpsilon),
    num(body.remainingEpsilon),
    num(body.windowDays),
  ];
  if (totalEpsilon === undefined || spentEpsilon === undefined || remainingEpsilon === undefined)
    return undefined;
  return { totalEpsilon, spentEpsilon, remainingEpsilon, windowDays: windowDays ?? 30 };
}

function parseAnswer(body: unknown): StatisticsAnswer | undefined {
  if (!isRecord(body)) return undefined;
  const budget = parseBudget(body.budget);
  const metric = textOf(body.metric);
  const epsilon = num(body.epsilon);
  if (budget === undefined || metric === undefined || epsilon === undefined) return undefined;
  if (body.value !== null && num(body.value) === undefined) return undefined;
  const iv = isRecord(body.interval95) ? body.interval95 : undefined;
  const [low, high] = [num(iv?.low), num(iv?.high)];
  const scales = isRecord(body.noiseScale) ? body.noiseScale : {};
  const count = num(scales.count);
  const sum = num(scales.sum);
  // An answer stating no noise at all is not something this page will show.
  if (count === undefined && sum === undefined) return undefined;
  return {
    metric,
    unit: textOf(body.unit) ?? '',
    aggregate: textOf(body.aggregate) ?? '',
    cohortLabel: textOf(body.cohortLabel) ?? 'cohort',
    epsilon,
    value: num(body.value) ?? null,
    interval: low !== undefined && high !== undefined && low <= high ? { low, high } : null,
    noiseScale: { ...(count === undefined ? {} : { count }), ...(sum === undefined ? {} : { sum }) },
    budget,
  };
}

export async function fetchBudget(): Promise<Budget> {
  const budget = parseBudget(await apiGet('/analytics/budget'));
  if (budget === undefined) throw malformed('privacy budget');
  return budget;
}

export async function runStatistics(query: StatisticsQuery): Promise<StatisticsAnswer> {
  const answer = parseAnswer(await apiPost('/analytics/query', query));
  if (answer === undefined) throw malformed('statistics answer');
  return answer;
}

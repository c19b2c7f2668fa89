import { VITAL_METRICS } from '../../../../src/contract/vocabulary/vital-metrics.js';

/** The metric's name for people ("heart rate"), or the key when the server named an unknown one. */
function metricWords(metric: string): string {
  const known = (VITAL_METRICS as Readonly<Record<string, { readonly label: string }>>)[metric];
  return known ? known.label.toLowerCase() : metric;
}

/** "Mean heart rate", "Sum of weight", "Count of patients with a heart rate" (issue 20: never "mean of heartRate"). */
export function statisticWords(aggregate: string, metric: string): string {
  const what = metricWords(metric);
  if (aggregate === 'mean') return `Mean ${what}`;
  if (aggregate === 'count') return `Count of patients with a ${what}`;
  if (aggregate === 'sum') return `Sum of ${what}`;
  return `${aggregate.charAt(0).toUpperCase()}${aggregate.slice(1)} of ${what}`;
}

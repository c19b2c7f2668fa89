import {
  AGGREGATES,
  MAX_COHORT_KEYWORD_LENGTH,
  MAX_EPSILON,
  METRICS,
  MIN_EPSILON,
  SMOKING_STATUSES,
  type Aggregate,
  type Cohort,
  type StatisticsQuery,
} from '../../api/analytics.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';
import type { FieldErrors } from '../../validation.js';

const COHORT_KINDS = [
  { value: 'all', label: 'All patients' },
  { value: 'smoking', label: 'Smoking status' },
  { value: 'age_band', label: 'Age band' },
  { value: 'diagnosis', label: 'Diagnosis keyword' },
] as const;

interface Values {
  readonly metric: string;
  readonly aggregate: Aggregate;
  readonly kind: string;
  readonly status: string;
  readonly from: string;
  readonly to: string;
  readonly keyword: string;
  readonly epsilon: string;
}

type Checked = 'epsilon' | 'from' | 'to' | 'keyword';

const INITIAL_METRIC = 'heartRate';

const INITIAL: Values = {
  metric: INITIAL_METRIC,
  aggregate: 'mean',
  kind: 'all',
  status: 'current',
  from: '40',
  to: '64',
  keyword: '',
  epsilon: '0.5',
};

function check(values: Values, remaining: number | undefined): FieldErrors<Checked> {
  const found: { -readonly [K in Checked]?: string } = {};
  const eps = Number(values.epsilon);
  if (!/^\d+(\.\d{1,3})?$/.test(values.epsilon.trim()) || eps < MIN_EPSILON || eps > MAX_EPSILON)
    found.epsilon = `Between ${MIN_EPSILON} and ${MAX_EPSILON}, at most three decimals.`;
  else if (remaining !== undefined && eps > remaining)
    found.epsilon = `Only ${remaining} epsilon is left for you this window.`;
  if (values.kind === 'age_band') {
    const { from, to } = values;
    const [f, t] = [Number(from), Number(to)];
    if (!/^\d{1,3}$/.test(from) || f > 130) found.from = 'A whole number of years, 0 to 130.';
    if (!/^\d{1,3}$/.test(to) || t > 130) found.to = 'A whole number of years, 0 to 130.';
    else if (f > t) found.to = 'Must not be below “from”.';
  }
  if (values.kind === 'diagnosis' && values.keyword.trim().length === 0)
    found.keyword = 'Give a diagnosis keyword, e.g. asthma.';
  return found;
}

function cohortOf(values: Values): Cohort {
  const { kind } = values;
  if (kind === 'smoking')
    return { kind, status: SMOKING_STATUSES.find((s) => s === values.status) ?? 'unknown' };
  if (kind === 'age_band') return { kind, from: Number(values.from), to: Number(values.to) };
  if (kind === 'diagnosis') return { kind, keyword: values.keyword.trim() };
  return { kind: 'all' };
}

/** The query form: metric, statistic, cohort picker and epsilon, checked before sending. */
export function StatisticsForm(props: {
  readonly busy: boolean;
  readonly remaining: number | undefined;
  readonly onSubmit: (query: StatisticsQuery) => void;
}) {
  const form = useForm<Values, Checked>({
    unsavedWork: false, // not typed work: leaving never asks
    initial: INITIAL,
    validate: (values) => check(values, props.remaining),
    onSubmit: (values) =>
      props.onSubmit({
        metric: METRICS.find((m) => m.key === values.metric)?.key ?? INITIAL_METRIC,
        aggregate: values.aggregate,
        cohort: cohortOf(values),
        epsilon: Number(values.epsilon),
      }),
  });
  const { kind, aggregate } = form.values;

  return (
    <form
      className="card stats-form"
      aria-labelledby="stats-form-title"
      onSubmit={form.handleSubmit}
      noValidate
    >
      <h2 id="stats-form-title">New query</h2>
      <SelectField
        id="stats-metric"
        label="Measurement"
        {...form.field('metric')}
        options={METRICS.map((m) => ({ value: m.key, label: `${m.label} (${m.unit})` }))}
      />
      <SelectField
        id="stats-aggregate"
        label="Statistic"
        value={aggregate}
        onChange={(v) => form.setValue('aggregate', AGGREGATES.find((a) => a === v) ?? 'mean')}
        options={AGGREGATES.map((a) => ({ value: a, label: a === 'count' ? 'count of patients' : a }))}
        hint="Each patient counts once, with their latest measurement."
      />
      <SelectField id="stats-cohort" label="Cohort" {...form.field('kind')} options={COHORT_KINDS} />
      {kind === 'smoking' && (
        <SelectField
          id="stats-smoking"
          label="Smoking status"
          {...form.field('status')}
          options={SMOKING_STATUSES.map((s) => ({ value: s, label: s }))}
        />
      )}
      {kind === 'age_band' && (
        <div className="stats-age-band">
          <TextField
            id="stats-from"
            label="Aged from"
            {...form.field('from')}
            inputMode="numeric"
            maxLength={3}
          />
          <TextField
            id="stats-to"
            label="to (inclusive)"
            {...form.field('to')}
            inputMode="numeric"
            maxLength={3}
          />
        </div>
      )}
      {kind === 'diagnosis' && (
        <TextField
          id="stats-keyword"
          label="Diagnosis keyword"
          {...form.field('keyword')}
          maxLength={MAX_COHORT_KEYWORD_LENGTH}
        />
      )}
      <TextField
        id="stats-epsilon"
        label="Epsilon (privacy loss)"
        {...form.field('epsilon')}
        inputMode="decimal"
        maxLength={6}
        hint="Spent from the hospital's budget. Smaller means more noise and more privacy. A mean splits it between a sum and a count."
      />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={props.busy}>
          {props.busy ? 'Computing…' : 'Run query'}
        </button>
      </div>
    </form>
  );
}

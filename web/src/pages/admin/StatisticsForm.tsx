import { useState, type FormEvent } from 'react';
import {
  AGGREGATES,
  MAX_EPSILON,
  METRICS,
  MIN_EPSILON,
  SMOKING,
  type Aggregate,
  type Cohort,
  type StatisticsQuery,
} from '../../api/analytics.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';

const COHORT_KINDS = [
  { value: 'all', label: 'All patients' },
  { value: 'smoking', label: 'Smoking status' },
  { value: 'age_band', label: 'Age band' },
  { value: 'diagnosis', label: 'Diagnosis keyword' },
] as const;

type Errors = Partial<Record<'epsilon' | 'from' | 'to' | 'keyword', string>>;

/** The query form: metric, statistic, cohort picker and epsilon, checked before sending. */
export function StatisticsForm(props: {
  readonly busy: boolean;
  readonly remaining: number | undefined;
  readonly onSubmit: (query: StatisticsQuery) => void;
}) {
  const [metric, setMetric] = useState<string>('heartRate');
  const [aggregate, setAggregate] = useState<Aggregate>('mean');
  const [kind, setKind] = useState<string>('all');
  const [status, setStatus] = useState<string>('current');
  const [from, setFrom] = useState('40');
  const [to, setTo] = useState('64');
  const [keyword, setKeyword] = useState('');
  const [epsilon, setEpsilon] = useState('0.5');
  const [errors, setErrors] = useState<Errors>({});

  function cohortOf(found: Errors): Cohort | undefined {
    if (kind === 'smoking') return { kind, status };
    if (kind === 'age_band') {
      const [f, t] = [Number(from), Number(to)];
      if (!/^\d{1,3}$/.test(from) || f > 130) found.from = 'A whole number of years, 0 to 130.';
      if (!/^\d{1,3}$/.test(to) || t > 130) found.to = 'A whole number of years, 0 to 130.';
      else if (f > t) found.to = 'Must not be below “from”.';
      return { kind, from: f, to: t };
    }
    if (kind === 'diagnosis') {
      if (keyword.trim().length === 0) found.keyword = 'Give a diagnosis keyword, e.g. asthma.';
      return { kind, keyword: keyword.trim() };
    }
    return { kind: 'all' };
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    const found: Errors = {};
    const eps = Number(epsilon);
    if (!/^\d+(\.\d{1,3})?$/.test(epsilon.trim()) || eps < MIN_EPSILON || eps > MAX_EPSILON)
      found.epsilon = `Between ${MIN_EPSILON} and ${MAX_EPSILON}, at most three decimals.`;
    else if (props.remaining !== undefined && eps > props.remaining)
      found.epsilon = `Only ${props.remaining} of your budget is left.`;
    const cohort = cohortOf(found);
    setErrors(found);
    if (Object.keys(found).length > 0 || cohort === undefined) return;
    props.onSubmit({ metric, aggregate, cohort, epsilon: eps });
  }

  return (
    <form className="card stats-form" aria-labelledby="stats-form-title" onSubmit={submit} noValidate>
      <h2 id="stats-form-title">New query</h2>
      <SelectField
        id="stats-metric"
        label="Measurement"
        value={metric}
        onChange={setMetric}
        options={METRICS.map((m) => ({ value: m.key, label: `${m.label} (${m.unit})` }))}
      />
      <SelectField
        id="stats-aggregate"
        label="Statistic"
        value={aggregate}
        onChange={(v) => setAggregate(AGGREGATES.find((a) => a === v) ?? 'mean')}
        options={AGGREGATES.map((a) => ({ value: a, label: a === 'count' ? 'count of patients' : a }))}
        hint="Each patient counts once, with their latest measurement."
      />
      <SelectField id="stats-cohort" label="Cohort" value={kind} onChange={setKind} options={COHORT_KINDS} />
      {kind === 'smoking' && (
        <SelectField
          id="stats-smoking"
          label="Smoking status"
          value={status}
          onChange={setStatus}
          options={SMOKING.map((s) => ({ value: s, label: s }))}
        />
      )}
      {kind === 'age_band' && (
        <div className="stats-age-band">
          <TextField
            id="stats-from"
            label="Aged from"
            value={from}
            onChange={setFrom}
            inputMode="numeric"
            maxLength={3}
            error={errors.from}
          />
          <TextField
            id="stats-to"
            label="to (inclusive)"
            value={to}
            onChange={setTo}
            inputMode="numeric"
            maxLength={3}
            error={errors.to}
          />
        </div>
      )}
      {kind === 'diagnosis' && (
        <TextField
          id="stats-keyword"
          label="Diagnosis keyword"
          value={keyword}
          onChange={setKeyword}
          maxLength={60}
          error={errors.keyword}
        />
      )}
      <TextField
        id="stats-epsilon"
        label="Epsilon (privacy loss)"
        value={epsilon}
        onChange={setEpsilon}
        inputMode="decimal"
        maxLength={6}
        hint="Spent from your budget. Smaller means more noise and more privacy. A mean splits it between a sum and a count."
        error={errors.epsilon}
      />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={props.busy}>
          {props.busy ? 'Computing…' : 'Run query'}
        </button>
      </div>
    </form>
  );
}

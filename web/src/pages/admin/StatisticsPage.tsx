import { useState } from 'react';
import {
  fetchBudget,
  runStatistics,
  type StatisticsAnswer,
  type StatisticsQuery,
} from '../../api/analytics.js';
import { FormAlert } from '../../components/FormAlert.js';
import { useResource } from '../../data/useQuery.js';
import { useAction } from '../../forms/useAction.js';
import type { PageProps } from '../page-props.js';
import { BudgetCard } from './BudgetCard.js';
import { formatValue, StatisticsChart } from './StatisticsChart.js';
import { StatisticsForm } from './StatisticsForm.js';
import { statisticWords } from './statistics-text.js';
import './statistics.css';

const scaleText = (a: StatisticsAnswer): string =>
  Object.entries(a.noiseScale)
    .map(([part, scale]) => `${part} ${formatValue(scale)}`)
    .join(', ');

const precisionText = (a: StatisticsAnswer): string =>
  a.expectedError === null
    ? 'no answer'
    : `${a.precision === 'low' ? 'too noisy' : 'useful'}: typically off by ${formatValue(a.expectedError)} ${a.unit}`;

/**
 * The server judged the answer too noisy to use (from the released values only: it never states
 * the cohort's true size): the cohort is too small for this epsilon.
 */
function SmallCohortWarning({ answer }: { readonly answer: StatisticsAnswer }) {
  return (
    <div className="alert alert-warning" role="status">
      <p>
        <strong>This cohort is too small for a useful answer at epsilon {answer.epsilon}.</strong>{' '}
        {answer.expectedError === null
          ? 'The noisy count was below one patient, so there is no value at all.'
          : `The noise typically moves this answer by ${formatValue(answer.expectedError)} ${answer.unit}, too much to read anything from it.`}{' '}
        Choose a larger cohort or spend more epsilon.
      </p>
    </div>
  );
}

/**
 * Admin: differentially private statistics over the encrypted vitals. Every answer is noisy
 * (discrete Laplace, stated scale, 95% interval) and spends epsilon from the hospital's budget; the
 * chart compares the answers that share the latest query's measurement and statistic.
 */
export function StatisticsPage(props: PageProps) {
  const { resource: budget, reload } = useResource(fetchBudget);
  const [results, setResults] = useState<StatisticsAnswer[]>([]);
  const query = useAction();

  async function run(statistics: StatisticsQuery): Promise<void> {
    await query.run('run', async () => {
      const answer = await runStatistics(statistics);
      setResults((previous) => [...previous, answer]);
    });
    // Spent or not, the budget shown must be the server's.
    await reload();
  }

  const latest = results[results.length - 1];
  const comparable = latest
    ? results.filter((r) => r.metric === latest.metric && r.aggregate === latest.aggregate)
    : [];
  // What this admin may still spend: the hospital's rest, or their share's when split.
  const remaining =
    budget.status === 'ready'
      ? (budget.data.analyst?.remainingEpsilon ?? budget.data.remainingEpsilon)
      : undefined;
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Counts, sums and means of vitals over a cohort, computed on Paillier-encrypted values: only the total
        is decrypted, and it is released with calibrated noise. No answer is exact, and each one spends
        epsilon from the hospital's privacy budget, which all admins share.
      </p>
      <div className="page-columns">
        <div>
          <BudgetCard budget={budget} onRetry={() => void reload()} />
          <StatisticsForm
            busy={query.running !== undefined}
            remaining={remaining}
            onSubmit={(q) => void run(q)}
          />
          <FormAlert title="The query was not run" message={query.error} />
        </div>
        <section className="card" aria-labelledby="results-title">
          <h2 id="results-title">Results</h2>
          {latest === undefined ? (
            <p className="muted">Run a query to see its noisy answer here.</p>
          ) : (
            <>
              {latest.precision === 'low' && <SmallCohortWarning answer={latest} />}
              <StatisticsChart
                results={comparable}
                title={`${statisticWords(latest.aggregate, latest.metric)} (${latest.aggregate === 'count' ? 'patients' : latest.unit}) by cohort`}
              />
              <table className="table stats-table" aria-label="Query results, oldest first">
                <thead>
                  <tr>
                    <th scope="col">Query</th>
                    <th scope="col">Noisy answer</th>
                    <th scope="col">95% interval</th>
                    <th scope="col">Noise scale</th>
                    <th scope="col">Epsilon</th>
                    <th scope="col">Precision</th>
                  </tr>
                </thead>
                <tbody>
                  {results.map((r, i) => (
                    <tr key={i}>
                      <td data-label="Query">
                        {statisticWords(r.aggregate, r.metric)}, {r.cohortLabel}
                      </td>
                      <td data-label="Noisy answer">
                        {r.value === null
                          ? 'no answer (noisy count below 1)'
                          : `${formatValue(r.value)} ${r.unit}`}
                      </td>
                      <td data-label="95% interval">
                        {r.interval95
                          ? `${formatValue(r.interval95.low)} to ${formatValue(r.interval95.high)}`
                          : '—'}
                      </td>
                      <td data-label="Noise scale">{scaleText(r)}</td>
                      <td data-label="Epsilon">{r.epsilon}</td>
                      <td data-label="Precision">{precisionText(r)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      </div>
    </section>
  );
}

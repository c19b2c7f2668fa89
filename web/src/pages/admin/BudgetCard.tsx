import type { Budget } from '../../api/analytics.js';
import { LoadState } from '../../components/LoadState.js';
import type { Resource } from '../../data/resource.js';
import { formatDateTime } from '../../format.js';
import { formatValue } from './StatisticsChart.js';

/**
 * The hospital's privacy budget for the current window: what is left of it, when the window
 * resets, the admin's own share when the budget is split, and what each analyst spent.
 */
export function BudgetCard(props: { readonly budget: Resource<Budget>; readonly onRetry: () => void }) {
  const { budget } = props;
  return (
    <section className="card" aria-labelledby="budget-title">
      <h2 id="budget-title">Privacy budget</h2>
      <LoadState resource={budget} what="the budget" onRetry={props.onRetry} />
      {budget.status === 'ready' && <BudgetDetails budget={budget.data} />}
    </section>
  );
}

function BudgetDetails({ budget: b }: { readonly budget: Budget }) {
  return (
    <>
      <p className="stats-budget">
        <strong>{formatValue(b.remainingEpsilon)}</strong> of {formatValue(b.totalEpsilon)} epsilon left for
        the hospital this window
      </p>
      <meter
        className="stats-meter"
        min={0}
        max={b.totalEpsilon}
        value={b.remainingEpsilon}
        aria-label="Remaining hospital privacy budget"
      />
      <p className="muted">
        All admins share one budget: {formatValue(b.spentEpsilon)} spent since{' '}
        {formatDateTime(b.windowStartedAt)}. It resets to {formatValue(b.totalEpsilon)} on{' '}
        <strong>{formatDateTime(b.resetsAt)}</strong> (every {b.windowDays} days). New accounts add nothing to
        it.
      </p>
      {b.analyst !== null && (
        <p className="stats-share">
          Your share: <strong>{formatValue(b.analyst.remainingEpsilon)}</strong> epsilon left (
          {formatValue(b.analyst.spentEpsilon)} of {formatValue(b.analyst.shareEpsilon)} spent).
        </p>
      )}
      {b.analysts.length > 0 && (
        <table className="table stats-table" aria-label="Spent this window, by admin">
          <thead>
            <tr>
              <th scope="col">Admin</th>
              <th scope="col">Epsilon</th>
              <th scope="col">Queries</th>
              <th scope="col">Last</th>
            </tr>
          </thead>
          <tbody>
            {b.analysts.map((a) => (
              <tr key={a.analystId}>
                <td data-label="Admin">{a.name}</td>
                <td data-label="Epsilon">{formatValue(a.spentEpsilon)}</td>
                <td data-label="Queries">{a.queries}</td>
                <td data-label="Last">{formatDateTime(a.lastSpentAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

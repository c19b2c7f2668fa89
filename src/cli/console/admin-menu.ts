import { MAX_EPSILON, MIN_EPSILON, type Aggregate } from '../../contract/vocabulary/analytics.js';
import { MEASURED_VITALS, type VitalKey } from '../../contract/vocabulary/vital-metrics.js';
import { budgetLines } from '../budget-text.js';
import { attempt, type ConsoleSession } from './session.js';
import { ask, BACK, choose, show, type Back } from './ui.js';

const METRICS: readonly VitalKey[] = [...MEASURED_VITALS, 'age'];
const STATISTICS: readonly Aggregate[] = ['mean', 'sum', 'count'];

async function users(s: ConsoleSession): Promise<void> {
  const { users: list } = await s.api.call('listStaffUsers');
  for (const u of list) {
    const keys = u.keys
      .map((k) => `${k.keyId} ${k.algorithm}${k.revokedAt === null ? '' : ' (revoked)'}`)
      .join(', ');
    show(`  ${u.role.padEnd(10)} ${u.username.padEnd(20)} ${u.status.padEnd(8)} ${keys}`);
  }
}

async function verify(s: ConsoleSession): Promise<void> {
  const v = await s.api.call('verifyLedger');
  show(
    v.ok
      ? `  ✔ ledger verifies: ${v.size} entries`
      : `  ✘ ledger FAILS at entry ${v.seq} (${v.kind}): ${v.message}`,
  );
}

async function statistics(s: ConsoleSession): Promise<void> {
  const budget = await s.api.call('privacyBudget');
  for (const line of budgetLines(budget)) show(`  ${line}`);
  const metric = await choose(
    'Metric',
    METRICS.map((m) => ({ name: m, value: m })),
  );
  const aggregate = await choose(
    'Statistic',
    STATISTICS.map((a) => ({ name: a, value: a })),
  );
  const epsilon = Number(
    await ask(`Epsilon for this query (${MIN_EPSILON}–${MAX_EPSILON}):`, {
      default: '0.5',
      validate: (v) =>
        (Number(v) >= MIN_EPSILON && Number(v) <= MAX_EPSILON) || `between ${MIN_EPSILON} and ${MAX_EPSILON}`,
    }),
  );
  const r = await s.api.call('analyticsQuery', {
    body: { metric, aggregate, cohort: { kind: 'all' }, epsilon },
  });
  const interval = r.interval95 === null ? '' : `  (95%: ${r.interval95.low}–${r.interval95.high})`;
  show(
    `  ${aggregate} ${metric} = ${r.value ?? 'suppressed'}${interval}; hospital ε left ${r.budget.remainingEpsilon}` +
      (r.budget.analyst === null ? '' : `, yours ${r.budget.analyst.remainingEpsilon}`),
  );
}

/** The admin's menu: staff accounts, ledger verification, DP statistics (no record access). */
export async function adminMenu(s: ConsoleSession): Promise<void> {
  for (;;) {
    const action = await choose<'users' | 'verify' | 'stats' | Back>('Admin menu', [
      { name: 'Staff accounts and keys', value: 'users' },
      { name: 'Verify the audit ledger', value: 'verify' },
      { name: 'Statistics (differential privacy)', value: 'stats' },
      { name: 'Log out', value: BACK },
    ]);
    if (action === BACK) return;
    await attempt(() => (action === 'users' ? users(s) : action === 'verify' ? verify(s) : statistics(s)));
  }
}

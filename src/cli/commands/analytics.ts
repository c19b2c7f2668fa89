import { Option, type Command } from 'commander';
import { openCliApp } from '../open-app.js';
import { invalidInput } from '../../app/errors.js';
import { VITAL_KEYS } from '../../contract/vocabulary/vital-metrics.js';
import { budgetLines, budgetReportLines } from '../budget-text.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';
import { AGGREGATES, type AnalyticsQueryInput, type CohortInput } from '../../app/analytics/index.js';

interface QueryOptions {
  as: string;
  metric: string;
  aggregate: string;
  cohort: string;
  epsilon: string;
  json?: boolean;
}

const COHORT_HELP = 'all | smoking:<never|former|current|unknown> | age:<from>-<to> | diagnosis:<keyword>';

/** `age:40-59` → {kind:'age_band', from:40, to:59}; the service validates the values. */
export function parseCohortFlag(text: string): CohortInput {
  const [kind, rest = ''] = text.split(/:(.*)/s, 2) as [string, string | undefined];
  if (kind === 'all' && rest === '') return { kind: 'all' };
  if (kind === 'smoking') return { kind: 'smoking', status: rest };
  if (kind === 'diagnosis') return { kind: 'diagnosis', keyword: rest };
  const band = /^(\d{1,3})-(\d{1,3})$/.exec(rest);
  if (kind === 'age' && band !== null)
    return { kind: 'age_band', from: Number(band[1]), to: Number(band[2]) };
  throw invalidInput(`--cohort must be ${COHORT_HELP}`);
}

/**
 * `medvault analytics query|budget`: differentially private statistics for scripts, acting for a
 * named admin account (the hospital's budget, their share of it, their ledger entries). Thin:
 * src/app/analytics decides.
 */
export function registerAnalyticsCommands(program: Command): void {
  const analytics = program
    .command('analytics')
    .description(
      'differentially private statistics over the encrypted vitals (spends the hospital’s privacy budget)',
    );

  withDataFlags(analytics.command('query'))
    .description(
      'release one noisy count, sum or mean of a vital over a cohort; prints the value, its 95% ' +
        'interval, the noise scale and the budget left (exit 1 when the budget does not cover --epsilon)',
    )
    .requiredOption(
      '--as <username>',
      'the admin account this query is made for (ledgered as theirs; spends their share of the hospital’s budget)',
    )
    .addOption(new Option('--metric <metric>', 'which vital').choices([...VITAL_KEYS]).makeOptionMandatory())
    .addOption(new Option('--aggregate <aggregate>', 'statistic').choices([...AGGREGATES]).default('mean'))
    .option('--cohort <cohort>', COHORT_HELP, 'all')
    .requiredOption('--epsilon <epsilon>', 'privacy loss to spend, 0.01 to 2 (e.g. 0.5)')
    .option('--json', 'print the answer as JSON')
    .action(
      runCommand(async (opts: QueryOptions, cmd: Command) => {
        const input: AnalyticsQueryInput = {
          metric: opts.metric,
          aggregate: opts.aggregate,
          cohort: parseCohortFlag(opts.cohort),
          epsilon: Number(opts.epsilon),
        };
        const app = await openCliApp(configFrom(cmd));
        try {
          const scope = await app.analytics.statistics.operatorScope(opts.as);
          const a = await app.analytics.statistics.query(scope, input);
          if (opts.json === true) {
            process.stdout.write(`${JSON.stringify(a, null, 2)}\n`);
            return;
          }
          const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));
          const scales = Object.entries(a.noiseScale)
            .map(([k, v]) => `${k} ${fmt(v)}`)
            .join(', ');
          process.stdout.write(
            `${a.aggregate} of ${a.metric} (${a.unit}), ${a.cohortLabel}: ${a.value === null ? 'no answer (noisy count below 1)' : fmt(a.value)}\n` +
              (a.interval95 === null
                ? ''
                : `95% interval: ${fmt(a.interval95.low)} to ${fmt(a.interval95.high)}\n`) +
              `discrete Laplace noise scale: ${scales}; epsilon spent ${a.epsilon}\n` +
              budgetLines(a.budget)
                .map((l) => `${l}\n`)
                .join(''),
          );
        } finally {
          await app.close();
        }
      }),
    );

  withDataFlags(analytics.command('budget'))
    .description(
      "print the hospital's privacy budget for the current window (total, spent, left, when it resets), " +
        "the admin's share when split, and what each admin spent in the window",
    )
    .requiredOption('--as <username>', 'the admin account asking')
    .action(
      runCommand(async (opts: { as: string }, cmd: Command) => {
        const app = await openCliApp(configFrom(cmd));
        try {
          const b = await app.analytics.statistics.budget(
            await app.analytics.statistics.operatorScope(opts.as),
          );
          process.stdout.write(budgetReportLines(b).join('\n') + '\n');
        } finally {
          await app.close();
        }
      }),
    );
}

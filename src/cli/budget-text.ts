import type { PrivacyBudget, PrivacyBudgetReport } from '../contract/api/analytics.js';

/** A time as the CLI prints it: UTC, to the minute ("2030-01-31 00:00 UTC"). */
const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The hospital's privacy budget as lines of text (CLI and console): what is left of the window,
 * when it resets, and the caller's share when the budget is split.
 */
export function budgetLines(b: PrivacyBudget): string[] {
  const lines = [
    `hospital budget: epsilon ${b.remainingEpsilon} of ${b.totalEpsilon} left this window ` +
      `(${b.spentEpsilon} spent; ${b.windowDays}-day windows, resets ${utc(b.resetsAt)})`,
  ];
  if (b.analyst !== null)
    lines.push(
      `your share: epsilon ${b.analyst.remainingEpsilon} left (${b.analyst.spentEpsilon} of ${b.analyst.shareEpsilon} spent)`,
    );
  return lines;
}

/** `budgetLines` and what each analyst spent in the window since `windowStartedAt`. */
export function budgetReportLines(
  b: PrivacyBudget & { readonly analysts: ReadonlyArray<PrivacyBudgetReport['analysts'][number]> },
): string[] {
  const lines = budgetLines(b);
  lines.push(
    b.analysts.length === 0
      ? `no epsilon spent since ${utc(b.windowStartedAt)}`
      : `spent since ${utc(b.windowStartedAt)}:`,
  );
  for (const a of b.analysts)
    lines.push(
      `  ${a.name}: epsilon ${a.spentEpsilon} in ${a.queries} ${a.queries === 1 ? 'query' : 'queries'}, last ${utc(a.lastSpentAt)}`,
    );
  return lines;
}

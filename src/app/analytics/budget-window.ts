/**
 * The privacy budget's windows: consecutive, fixed periods of `windowMs` counted from the Unix
 * epoch (1970-01-01 00:00 UTC), so with whole days every window starts at midnight UTC and every
 * server computes the same windows without storing them. A window's spend is the sum of the
 * spends inside it; at its end the whole budget is available again.
 *
 * Decision: fixed windows rather than a sliding one, so "when does the budget come back" has one
 * answer (the window's end) that the API, UI, CLI and Retry-After all state. The price, stated in
 * docs/analytics.md: spends just before and just after a boundary fall in different windows, so
 * over a short span straddling one the hospital can release up to twice its per-window total.
 */
export interface BudgetWindow {
  /** First millisecond of the window. */
  readonly from: number;
  /** First millisecond of the next window: when the budget resets. */
  readonly to: number;
}

/** The window holding `now`. */
export function windowAt(now: number, windowMs: number): BudgetWindow {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new RangeError('window must be positive');
  const from = now - (((now % windowMs) + windowMs) % windowMs);
  return { from, to: from + windowMs };
}

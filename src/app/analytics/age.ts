import { VITAL_METRICS } from '../../contract/vocabulary/vital-metrics.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Age in whole years on the UTC date of `at` of someone born on `dateOfBirth` (YYYY-MM-DD): the
 * years since, less one before the birthday (a 29 February birthday falls on 1 March in common
 * years). Null when the date is malformed or the age falls outside the age metric's bounds
 * (a measurement before birth, or over 130 years after it).
 */
export function ageAt(dateOfBirth: string, at: number): number | null {
  const m = DATE_RE.exec(dateOfBirth);
  if (m === null || !Number.isFinite(at)) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const when = new Date(at);
  const [ty, tmo, td] = [when.getUTCFullYear(), when.getUTCMonth() + 1, when.getUTCDate()];
  const age = ty - y - (tmo < mo || (tmo === mo && td < d) ? 1 : 0);
  const { min, max } = VITAL_METRICS.age;
  return age >= min && age <= max ? age : null;
}

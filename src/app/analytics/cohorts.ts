import type { DbOrTx } from '../../store/database.js';
import { COHORT_KINDS, MAX_COHORT_KEYWORD_LENGTH } from '../../contract/vocabulary/analytics.js';
import { invalidInput } from '../errors.js';
import { SMOKING_STATUSES, type SmokingStatus } from '../identity/patients.js';
import { VITAL_METRICS } from '../../contract/vocabulary/vital-metrics.js';

/** Who a statistic is about. Every cohort is decided by the server, never by a list the caller sends. */
export type Cohort =
  | { readonly kind: 'all' }
  | { readonly kind: 'smoking'; readonly status: SmokingStatus }
  /** Patients whose measurement was taken aged `from`..`to` whole years (inclusive). */
  | { readonly kind: 'age_band'; readonly from: number; readonly to: number }
  /** Patients with a record indexed under this diagnosis keyword (the search index). */
  | { readonly kind: 'diagnosis'; readonly keyword: string };

export { COHORT_KINDS, MAX_COHORT_KEYWORD_LENGTH };

/**
 * Resolves a diagnosis keyword to the patients with a record indexed under it, through the
 * search index (keyword → HMAC token → records → patients). Provided by the records module.
 */
export interface CohortKeywordResolver {
  patientIdsForKeyword(db: DbOrTx, keyword: string): Promise<ReadonlySet<string>>;
}

/** A cohort as it arrives (HTTP body or CLI flags), before validation. */
export interface CohortInput {
  readonly kind: string;
  readonly status?: string | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly keyword?: string | undefined;
}

/** @throws AppError invalid_input naming what is wrong. */
export function parseCohort(input: CohortInput): Cohort {
  switch (input.kind) {
    case 'all':
      return { kind: 'all' };
    case 'smoking': {
      const status = SMOKING_STATUSES.find((s) => s === input.status);
      if (status === undefined)
        throw invalidInput(`cohort.status must be one of ${SMOKING_STATUSES.join(', ')}.`);
      return { kind: 'smoking', status };
    }
    case 'age_band': {
      const { min, max } = VITAL_METRICS.age;
      const { from, to } = input;
      const whole = (x: number | undefined): x is number =>
        Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max;
      if (!whole(from) || !whole(to) || from > to)
        throw invalidInput(`cohort.from and cohort.to must be whole years, ${min} ≤ from ≤ to ≤ ${max}.`);
      return { kind: 'age_band', from, to };
    }
    case 'diagnosis': {
      const keyword = (input.keyword ?? '').normalize('NFC').trim();
      if (keyword.length === 0 || keyword.length > MAX_COHORT_KEYWORD_LENGTH)
        throw invalidInput(`cohort.keyword must be 1 to ${MAX_COHORT_KEYWORD_LENGTH} characters.`);
      return { kind: 'diagnosis', keyword };
    }
    default:
      throw invalidInput(`cohort.kind must be one of ${COHORT_KINDS.join(', ')}.`);
  }
}

/** A one-line description, e.g. for the CLI and the UI's bar labels. */
export function describeCohort(c: Cohort): string {
  switch (c.kind) {
    case 'all':
      return 'all patients';
    case 'smoking':
      return `smoking status ${c.status}`;
    case 'age_band':
      return `aged ${c.from}–${c.to}`;
    case 'diagnosis':
      return `diagnosis “${c.keyword}”`;
  }
}

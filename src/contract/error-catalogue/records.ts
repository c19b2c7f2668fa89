import { entry, type ErrorEntry } from '../error-kinds.js';

/** Records, attachments and statistics. Part of the one catalogue, src/contract/errors.ts. */
export const RECORDS_ERRORS = {
  invalid_body: entry(
    'invalid_input',
    'records',
    'The record body does not fit its type.',
    "a record body that does not fit its type's schema; the message names the field",
  ),
  vital_out_of_range: entry(
    'invalid_input',
    'records',
    'A vital sign is outside its declared bounds.',
    'a vital sign outside the bounds declared for its metric (docs/analytics.md)',
  ),
  read_only_access: entry(
    'forbidden',
    'records',
    "Your access to this patient's records is read-only.",
    "a doctor who may read the patient's records (through a grant with scope `read`, or one that does not cover this type for writing) tries to write a record, upload an attachment or prescribe",
  ),
  not_imaging_record: entry(
    'conflict',
    'records',
    'Attachments belong to imaging records only.',
    'an attachment uploaded to a record that is not an imaging study',
  ),
  privacy_budget_exhausted: entry(
    'rate_limited',
    'records',
    "The hospital's privacy budget has less epsilon left in this window than this query asks for; nothing was spent.",
    "a statistics query whose epsilon exceeds what is left of the hospital's privacy budget in the current window, or of the analyst's share of it; nothing spent; the message and `Retry-After` say when the window resets",
  ),
} as const satisfies Readonly<Record<string, ErrorEntry>>;

/**
 * The bounds of a prescription's fields that the doctor's form checks before signing and the
 * server's schema (payload.ts) enforces: one module with no dependencies, so the browser bundle
 * imports these very values instead of a copy.
 */

/** Routes of administration a prescription may name. */
export const ROUTES = [
  'oral',
  'sublingual',
  'inhalation',
  'nasal',
  'topical',
  'transdermal',
  'ophthalmic',
  'otic',
  'rectal',
  'vaginal',
  'subcutaneous',
  'intramuscular',
  'intravenous',
] as const;
export type Route = (typeof ROUTES)[number];

export const MAX_QUANTITY = 1000;
export const MAX_REFILLS = 11;
/** Characters of free-text instructions. */
export const MAX_INSTRUCTIONS = 1000;
/** Characters of the reason a doctor gives to prescribe despite warnings (issue 20, point 3). */
export const MAX_OVERRIDE_REASON = 500;
/** Warnings an override carries, and the characters of each (what the doctor was shown). */
export const MAX_OVERRIDE_WARNINGS = 10;
export const MAX_WARNING_TEXT = 300;
/** A prescription is valid for at most a year. */
export const MAX_VALIDITY_MS = 365 * 24 * 3_600_000;

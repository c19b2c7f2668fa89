/**
 * Length limits of record body fields, in characters (code points), shared by the server's body
 * schemas (src/app/records/record-types.ts) and the record forms (web), so a form says a text is
 * too long exactly when the server would refuse it, and shows the limit beside the field.
 */
export const RECORD_TEXT_LIMITS = {
  labPanel: 200,
  analyteName: 100,
  analyteUnit: 40,
  notes: 5000,
  diagnosisText: 300,
  clinicalNote: 20_000,
  substance: 200,
  reaction: 500,
  vaccine: 200,
  lot: 60,
  site: 100,
  bodyPart: 100,
  findings: 10_000,
  impression: 5000,
} as const;

/** Analytes one lab result may list. */
export const MAX_ANALYTES = 100;

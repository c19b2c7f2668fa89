/**
 * A record form as typed (the draft) and its check against the field specs of record-schema.ts:
 * the body to send, or an error per field.
 */
import {
  encodeVital,
  MEASURED_VITALS,
  VITAL_METRICS,
} from '../../../../src/contract/vocabulary/vital-metrics.js';
import type { WritableType } from './record-types.js';
import {
  ANALYTES_MAX,
  ANALYTE_FLAGS,
  FIELDS,
  ICD10_PATTERN,
  KEYWORDS_MAX,
  KEYWORD_MAX_LENGTH,
  TITLE_MAX,
  type FieldSpec,
} from './record-schema.js';
/** One row of the lab analyte editor, as typed. */
export interface AnalyteDraft {
  /** Stable React key. */
  readonly key: number;
  readonly name: string;
  readonly value: string;
  readonly unit: string;
  readonly referenceLow: string;
  readonly referenceHigh: string;
  readonly flag: string;
}

export interface RecordDraft {
  readonly title: string;
  /** Comma-separated. */
  readonly keywords: string;
  readonly values: Readonly<Record<string, string>>;
  readonly analytes: readonly AnalyteDraft[];
}

let analyteKeys = 0;
export function emptyAnalyte(): AnalyteDraft {
  analyteKeys += 1;
  return { key: analyteKeys, name: '', value: '', unit: '', referenceLow: '', referenceHigh: '', flag: '' };
}

export function emptyDraft(): RecordDraft {
  return { title: '', keywords: '', values: {}, analytes: [emptyAnalyte()] };
}

/** Error keys: 'title', 'keywords', a body field name, 'analytes', 'analytes.<i>.<field>', 'vitals'. */
export type DraftErrors = Readonly<Record<string, string>>;

export interface CheckedDraft {
  readonly errors: DraftErrors;
  /** Present only when there are no errors. */
  readonly record?: {
    readonly title: string;
    readonly body: Record<string, unknown>;
    readonly keywords: readonly string[];
  };
}

/** Comma- or newline-separated keywords, trimmed, empty ones and repeats dropped. */
export function splitKeywords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const keyword = raw.trim();
    if (keyword === '' || seen.has(keyword.toLowerCase())) continue;
    seen.add(keyword.toLowerCase());
    out.push(keyword);
  }
  return out;
}

/** A number as typed (dot or comma decimal), or undefined for anything that is not one. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Length as the server's schema counts it (UTF-16 code units, like the maxLength attribute). */
const charCount = (text: string): number => text.length;

function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function fitsStep(value: number, step: number): boolean {
  const scaled = value / step;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

function numberError(spec: FieldSpec, value: number): string | undefined {
  const unit = spec.unit ? ` ${spec.unit}` : '';
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    return `Enter a value from ${spec.min ?? '…'} to ${spec.max ?? '…'}${unit}.`;
  }
  if (spec.step !== undefined && !fitsStep(value, spec.step)) {
    return spec.step === 1 ? 'Enter a whole number.' : `Use at most one decimal (steps of ${spec.step}).`;
  }
  return undefined;
}

/** Checks one field; returns the value to send (undefined: leave it out) or an error. */
function checkField(spec: FieldSpec, raw: string | undefined): { value?: unknown; error?: string } {
  const text = (raw ?? '').trim();
  if (text === '') return spec.required ? { error: `Enter the ${fieldNoun(spec)}.` } : {};
  switch (spec.kind) {
    case 'text':
    case 'textarea':
      if (spec.maxLength !== undefined && charCount(text) > spec.maxLength) {
        return { error: `Use at most ${spec.maxLength} characters.` };
      }
      return { value: text };
    case 'select':
      return spec.options?.some((option) => option.value === text)
        ? { value: text }
        : { error: `Choose the ${fieldNoun(spec)}.` };
    case 'date':
      return isRealDate(text) ? { value: text } : { error: 'Enter a real date (YYYY-MM-DD).' };
    case 'datetime': {
      const time = Date.parse(text);
      if (Number.isNaN(time)) return { error: 'Enter a date and time.' };
      return { value: new Date(time).toISOString() };
    }
    case 'number': {
      const value = parseNumber(text);
      if (value === undefined) return { error: 'Enter a number.' };
      const error = numberError(spec, value);
      return error ? { error } : { value };
    }
  }
}

/** How a message names the field: "diagnosis"; a date labelled "Given on" is "the date given". */
function fieldNoun(spec: FieldSpec): string {
  const noun = spec.label.replace(/\s*\(.*\)$/, '').toLowerCase();
  if (spec.kind === 'date' || spec.kind === 'datetime') {
    const when = noun.replace(/\s+on$/, '');
    return when.includes('date') ? when : `date ${when}`;
  }
  return noun;
}

function checkAnalytes(rows: readonly AnalyteDraft[], errors: Record<string, string>): unknown[] {
  const filled = rows.filter((row) =>
    [row.name, row.value, row.unit, row.referenceLow, row.referenceHigh, row.flag].some(
      (v) => v.trim() !== '',
    ),
  );
  if (filled.length === 0) {
    errors.analytes = 'Add at least one analyte.';
    return [];
  }
  if (filled.length > ANALYTES_MAX) errors.analytes = `At most ${ANALYTES_MAX} analytes.`;
  const out: unknown[] = [];
  rows.forEach((row, index) => {
    if (!filled.includes(row)) return;
    const at = (field: string): string => `analytes.${index}.${field}`;
    const name = row.name.trim();
    const unit = row.unit.trim();
    if (name === '') errors[at('name')] = 'Enter the analyte.';
    else if (charCount(name) > 100) errors[at('name')] = 'Use at most 100 characters.';
    const value = parseNumber(row.value);
    if (value === undefined)
      errors[at('value')] = row.value.trim() === '' ? 'Enter the value.' : 'Enter a number.';
    if (unit === '') errors[at('unit')] = 'Enter the unit.';
    else if (charCount(unit) > 40) errors[at('unit')] = 'Use at most 40 characters.';
    const low = row.referenceLow.trim() === '' ? undefined : parseNumber(row.referenceLow);
    const high = row.referenceHigh.trim() === '' ? undefined : parseNumber(row.referenceHigh);
    if (row.referenceLow.trim() !== '' && low === undefined) errors[at('referenceLow')] = 'Enter a number.';
    if (row.referenceHigh.trim() !== '' && high === undefined)
      errors[at('referenceHigh')] = 'Enter a number.';
    if (low !== undefined && high !== undefined && low > high) {
      errors[at('referenceHigh')] = 'The upper limit is below the lower one.';
    }
    const flag = ANALYTE_FLAGS.find((f) => f === row.flag);
    out.push({
      name,
      value,
      unit,
      ...(low !== undefined ? { referenceLow: low } : {}),
      ...(high !== undefined ? { referenceHigh: high } : {}),
      ...(flag ? { flag } : {}),
    });
  });
  return out;
}

/** Checks a draft of `type`; with no errors, also the record to send. */
export function checkDraft(type: WritableType, draft: RecordDraft): CheckedDraft {
  const errors: Record<string, string> = {};
  const title = draft.title.trim();
  if (title === '') errors.title = 'Enter a title.';
  else if (charCount(title) > TITLE_MAX) errors.title = `Use at most ${TITLE_MAX} characters.`;

  const keywords = splitKeywords(draft.keywords);
  if (keywords.length > KEYWORDS_MAX) errors.keywords = `At most ${KEYWORDS_MAX} keywords.`;
  const long = keywords.find((k) => charCount(k) > KEYWORD_MAX_LENGTH);
  if (long !== undefined) errors.keywords = `Each keyword has at most ${KEYWORD_MAX_LENGTH} characters.`;

  const body: Record<string, unknown> = {};
  for (const spec of FIELDS[type]) {
    const raw = draft.values[spec.name];
    const checked = checkField(spec, spec.name === 'icd10' ? raw?.toUpperCase() : raw);
    if (checked.error) errors[spec.name] = checked.error;
    else if (checked.value !== undefined) body[spec.name] = checked.value;
  }
  if (type === 'diagnosis' && errors.icd10 === undefined && typeof body.icd10 === 'string') {
    if (!ICD10_PATTERN.test(body.icd10)) errors.icd10 = 'Enter an ICD-10 code such as E11.9.';
  }
  if (type === 'lab_result') body.analytes = checkAnalytes(draft.analytes, errors);
  if (type === 'vitals') {
    for (const key of MEASURED_VITALS) {
      const value = body[key];
      // The server stores vitals as fixed-point integers; its own encoder is the final word.
      if (typeof value === 'number' && encodeVital(VITAL_METRICS[key], value) === null && !errors[key]) {
        errors[key] = 'This value is outside what MedVault can record.';
      }
    }
    if (
      !MEASURED_VITALS.some((key) => body[key] !== undefined) &&
      !MEASURED_VITALS.some((key) => errors[key])
    ) {
      errors.vitals = 'Enter at least one measurement.';
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, record: { title, body, keywords } };
}

/**
 * The field a server message names ("body.analytes[0].value …", "/body/icd10 must …", "title …"),
 * so its error can be shown where it belongs; undefined when none is recognised.
 */
export function fieldOfServerMessage(type: WritableType, message: string): string | undefined {
  // "body: give at least one of heartRate, …" is about the vitals as a whole.
  if (type === 'vitals' && /^body:/.test(message)) return 'vitals';
  const analyte = /analytes[[./](\d+)\]?[./]?(\w+)/.exec(message);
  if (analyte) return `analytes.${analyte[1]}.${analyte[2]}`;
  const names = [...FIELDS[type].map((spec) => spec.name), 'analytes', 'title', 'keywords'];
  return names.find((name) => new RegExp(`(^|[^A-Za-z])${name}([^A-Za-z]|$)`).test(message));
}

/**
 * FHIR search parameters as MedVault answers them (docs/fhir.md): token matching on codes and
 * categories, date prefixes, the patient a search is about, and our opaque page position. Pure.
 */
import type { CodeableConcept, Resource } from '@medplum/fhirtypes';
import { invalidInput } from '../errors.js';

export type SearchQuery = Partial<Record<string, string | number | string[]>>;

export const values = (q: SearchQuery, name: string): string[] => {
  const v = q[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [String(v)]).flatMap((s) => s.split(','));
};

/** `Patient/<id>` or `<id>` → id; undefined when the search names no patient. */
export function patientOf(q: SearchQuery): string | undefined {
  const named = [...values(q, 'patient'), ...values(q, 'subject')].map((v) => v.replace(/^Patient\//, ''));
  if (named.length > 1 && new Set(named).size > 1) throw invalidInput('patient: name one patient.');
  const id = named[0];
  if (id !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(id))
    throw invalidInput('patient: not a resource id.');
  return id;
}

/** Does one CodeableConcept match a token (`code`, `system|code`, `|code`, `system|`)? */
function tokenMatches(concepts: readonly CodeableConcept[], token: string): boolean {
  const bar = token.indexOf('|');
  const system = bar < 0 ? undefined : token.slice(0, bar);
  const code = bar < 0 ? token : token.slice(bar + 1);
  return concepts.some((c) =>
    (c.coding ?? []).some(
      (coding) =>
        (system === undefined || system === '' ? true : coding.system === system) &&
        (code === '' || coding.code === code),
    ),
  );
}

const asList = (v: unknown): CodeableConcept[] =>
  v === undefined ? [] : Array.isArray(v) ? (v as CodeableConcept[]) : [v as CodeableConcept];

const CODE_FIELDS = ['code', 'vaccineCode', 'medicationCodeableConcept', 'type'] as const;
const DATE_FIELDS = [
  'effectiveDateTime',
  'onsetDateTime',
  'occurrenceDateTime',
  'authoredOn',
  'recordedDate',
  'date',
] as const;

/** The date a resource is searched by (`date`, `onset-date`, `authoredon`). */
function dateOf(r: Resource): string | undefined {
  const fields = r as unknown as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof fields[f] === 'string') return fields[f] as string;
  return undefined;
}

const PREFIX = /^(eq|ne|gt|lt|ge|le|sa|eb)?(\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?)$/;

/** Compares at the parameter's precision: `2024-03` equals any day in March 2024. */
function dateMatches(value: string, param: string): boolean {
  const m = PREFIX.exec(param);
  if (m === null) throw invalidInput(`date: "${param.slice(0, 40)}" is not a FHIR date search value.`);
  const prefix = m[1] ?? 'eq';
  const wanted = m[2]!;
  const have = value.slice(0, wanted.length);
  switch (prefix) {
    case 'eq':
      return have === wanted;
    case 'ne':
      return have !== wanted;
    case 'gt':
    case 'sa':
      return have > wanted;
    case 'lt':
    case 'eb':
      return have < wanted;
    case 'ge':
      return have >= wanted;
    default:
      return have <= wanted;
  }
}

/** The filter a search's parameters make (`_id`, `category`, `code`, dates), over mapped resources. */
export function resourceFilter(q: SearchQuery): (r: Resource) => boolean {
  const ids = values(q, '_id');
  const categories = values(q, 'category');
  const codes = values(q, 'code');
  const dates = [...values(q, 'date'), ...values(q, 'onset-date'), ...values(q, 'authoredon')];
  for (const d of dates) dateMatches('2000', d); // refuse malformed values before any read
  return (r) => {
    const fields = r as unknown as Record<string, unknown>;
    if (ids.length > 0 && !ids.includes(r.id ?? '')) return false;
    if (categories.length > 0 && !categories.some((t) => tokenMatches(asList(fields.category), t)))
      return false;
    if (codes.length > 0) {
      const concepts = CODE_FIELDS.flatMap((f) => asList(fields[f]));
      if (!codes.some((t) => tokenMatches(concepts, t))) return false;
    }
    if (dates.length > 0) {
      const date = dateOf(r);
      if (date === undefined || !dates.every((d) => dateMatches(date, d))) return false;
    }
    return true;
  };
}

/** Where a paged search stopped: inside record (t, id), after its first `k` matching resources. */
export interface SearchPosition {
  readonly t: number;
  readonly id: string;
  readonly k: number;
}

export const encodePosition = (p: SearchPosition): string =>
  Buffer.from(JSON.stringify(p), 'utf8').toString('base64url');

export function decodePosition(text: string | undefined): SearchPosition | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (
      Number.isSafeInteger(v.t) &&
      typeof v.id === 'string' &&
      v.id.length <= 64 &&
      Number.isSafeInteger(v.k) &&
      (v.k as number) >= 0
    )
      return { t: v.t as number, id: v.id, k: v.k as number };
  } catch {
    // fall through
  }
  throw invalidInput('_cursor: not a position this server issued.');
}

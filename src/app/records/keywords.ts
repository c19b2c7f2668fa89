/**
 * What a record contributes to the search index, and how a keyword is normalised so that
 * "Pneumonia", " PNEUMONÍA " and "pneumonia" are one token. Normalisation: Unicode NFKD, accents
 * (combining marks) removed, lower case, surrounding space trimmed and inner runs of space
 * collapsed. ICD-10 codes are upper-cased without the dot, and a diagnosis is indexed under its
 * code, its three-character category and its text, so a search by code finds the text's records.
 */
import { ICD10_PATTERN, type TypedBody } from './record-types.js';

/** Indexed fields; each has its own token key (src/crypto/search-token.ts). */
export const SEARCH_FIELDS = ['icd10', 'diagnosis', 'allergy', 'medication', 'keyword', 'prefix'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export interface IndexTerm {
  readonly field: SearchField;
  readonly term: string;
}

import { MAX_KEYWORD_LENGTH } from '../../contract/vocabulary/records.js';

export { MAX_KEYWORD_LENGTH };
const MIN_WORD_LENGTH = 3;
/**
 * Word prefixes are indexed from MIN_WORD_LENGTH up to this many characters: a query word longer
 * than this is looked up by its first PREFIX_MAX characters (words sharing 16 letters are one).
 */
export const PREFIX_MAX = 16;
/** At most this many distinct words of one record give prefixes (the first ones in the text). */
export const MAX_PREFIX_WORDS = 400;
const STOP_WORDS = new Set([
  'and',
  'the',
  'with',
  'without',
  'of',
  'for',
  'due',
  'not',
  'other',
  'type',
  'unspecified',
]);

/** The normal form of a keyword, or null when nothing is left. */
export function normaliseKeyword(input: string): string | null {
  const text = input
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
  return text.length === 0 ? null : text.slice(0, MAX_KEYWORD_LENGTH);
}

/** "e11.9" → "E119"; null unless it is an ICD-10 code. */
export function normaliseIcd10(input: string): string | null {
  const code = input.trim().toUpperCase();
  const dotted = code.includes('.') ? code : code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
  return ICD10_PATTERN.test(dotted) ? dotted.replace('.', '') : null;
}

/** The significant words of a text, normalised: three letters or more, no stop words. */
function significantWords(text: string): string[] {
  const phrase = normaliseKeyword(text);
  if (phrase === null) return [];
  return phrase.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= MIN_WORD_LENGTH && !STOP_WORDS.has(w));
}

/** The phrase and its significant words, normalised. */
function phraseTerms(field: SearchField, text: string): IndexTerm[] {
  const phrase = normaliseKeyword(text);
  if (phrase === null) return [];
  return [...new Set([phrase, ...significantWords(text)])].map((term) => ({ field, term }));
}

/** A word's prefix as it is indexed and looked up: its first PREFIX_MAX characters at most. */
const prefixOf = (word: string, length: number): string => [...word].slice(0, length).join('');

/** Every prefix of three characters or more (up to PREFIX_MAX) of each distinct word. */
function prefixTerms(texts: readonly string[]): IndexTerm[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const word of significantWords(text)) {
      if (words.size >= MAX_PREFIX_WORDS) break;
      words.add(word);
    }
  }
  const out: IndexTerm[] = [];
  for (const word of words) {
    const length = Math.min([...word].length, PREFIX_MAX);
    for (let n = MIN_WORD_LENGTH; n <= length; n++) out.push({ field: 'prefix', term: prefixOf(word, n) });
  }
  return out;
}

/**
 * The clinical text of each record type: what a doctor would search a chart for. Numbers, dates,
 * units and lot numbers are left out; vitals carry no text.
 */
export function clinicalTexts(record: TypedBody): string[] {
  const optional = (...texts: Array<string | undefined>): string[] =>
    texts.filter((t): t is string => t !== undefined);
  switch (record.type) {
    case 'lab_result':
      return [record.body.panel, ...record.body.analytes.map((a) => a.name), ...optional(record.body.notes)];
    case 'diagnosis':
      return [record.body.text, ...optional(record.body.notes)];
    case 'clinical_note':
      return [record.body.text];
    case 'allergy':
      return [record.body.substance, ...optional(record.body.reaction)];
    case 'vaccination':
      return [record.body.vaccine, ...optional(record.body.site)];
    case 'imaging':
      return [record.body.modality, record.body.bodyPart, record.body.findings, record.body.impression];
    case 'vitals':
      return [];
  }
}

/**
 * Every index term of a record: codes and phrases by type (diagnosis, allergy), the doctor's own
 * keywords, and the prefixes of every word of the title, the clinical text and the keywords, so
 * "asthm" finds "asthma" in a note and "pneumonia" finds an X-ray impression.
 */
export function indexTerms(record: TypedBody, keywords: readonly string[], title = ''): IndexTerm[] {
  const out: IndexTerm[] = [];
  if (record.type === 'diagnosis') {
    const code = normaliseIcd10(record.body.icd10);
    if (code !== null) out.push({ field: 'icd10', term: code }, { field: 'icd10', term: code.slice(0, 3) });
    out.push(...phraseTerms('diagnosis', record.body.text));
  }
  if (record.type === 'allergy') out.push(...phraseTerms('allergy', record.body.substance));
  for (const k of keywords) out.push(...phraseTerms('keyword', k));
  out.push(...prefixTerms([title, ...clinicalTexts(record), ...keywords]));
  const seen = new Set<string>();
  return out.filter((t) => {
    const key = `${t.field}\u0000${t.term}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What a query looks up: the normalised keyword in every text field, and as a code if it is one. */
export function queryTerms(keyword: string): IndexTerm[] {
  const out: IndexTerm[] = [];
  const code = normaliseIcd10(keyword);
  if (code !== null) out.push({ field: 'icd10', term: code });
  const phrase = normaliseKeyword(keyword);
  if (phrase !== null) {
    for (const field of ['diagnosis', 'allergy', 'medication', 'keyword'] as const)
      out.push({ field, term: phrase });
    // One word of three letters or more is also looked up as a prefix of any clinical word.
    const words = phrase.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
    if (words.length === 1 && [...phrase].length >= MIN_WORD_LENGTH && phrase === words[0])
      out.push({ field: 'prefix', term: prefixOf(phrase, PREFIX_MAX) });
  }
  return out;
}

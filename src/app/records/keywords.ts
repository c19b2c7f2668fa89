/**
 * What a record contributes to the search index, and how a keyword is normalised so that
 * "Pneumonia", " PNEUMONÍA " and "pneumonia" are one token. Normalisation: Unicode NFKD, accents
 * (combining marks) removed, lower case, surrounding space trimmed and inner runs of space
 * collapsed. ICD-10 codes are upper-cased without the dot, and a diagnosis is indexed under its
 * code, its three-character category and its text, so a search by code finds the text's records.
 */
import { ICD10_PATTERN, type TypedBody } from './record-types.js';

/** Indexed fields; each has its own token key (src/crypto/search-token.ts). */
export const SEARCH_FIELDS = ['icd10', 'diagnosis', 'allergy', 'medication', 'keyword'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export interface IndexTerm {
  readonly field: SearchField;
  readonly term: string;
}

import { MAX_KEYWORD_LENGTH } from '../../contract/vocabulary/records.js';

export { MAX_KEYWORD_LENGTH };
const MIN_WORD_LENGTH = 3;
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

/** The phrase and its significant words, normalised. */
function phraseTerms(field: SearchField, text: string): IndexTerm[] {
  const phrase = normaliseKeyword(text);
  if (phrase === null) return [];
  const terms = new Set([phrase]);
  for (const word of phrase.split(/[^\p{L}\p{N}]+/u)) {
    if (word.length >= MIN_WORD_LENGTH && !STOP_WORDS.has(word)) terms.add(word);
  }
  return [...terms].map((term) => ({ field, term }));
}

/** Every index term of a record: from its body by type, plus the doctor's own keywords. */
export function indexTerms(record: TypedBody, keywords: readonly string[]): IndexTerm[] {
  const out: IndexTerm[] = [];
  if (record.type === 'diagnosis') {
    const code = normaliseIcd10(record.body.icd10);
    if (code !== null) out.push({ field: 'icd10', term: code }, { field: 'icd10', term: code.slice(0, 3) });
    out.push(...phraseTerms('diagnosis', record.body.text));
  }
  if (record.type === 'allergy') out.push(...phraseTerms('allergy', record.body.substance));
  for (const k of keywords) out.push(...phraseTerms('keyword', k));
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
  }
  return out;
}

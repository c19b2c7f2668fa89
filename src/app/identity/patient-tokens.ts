/**
 * Blind indexes of patients' names and dates of birth, so staff find a patient by name or date
 * of birth while both stay envelope ciphertext. The normalised values are stored only as
 *
 *     fieldKey = HKDF-SHA256(keyring secret 'patient-search', info = "medvault/search/v1/" || field)
 *     token    = HMAC-SHA256(fieldKey, normalised value)
 *
 * (the construction of the record keyword index, src/crypto/search-token.ts, under a secret of
 * its own), for three fields:
 *
 * - `name-word`: each word of the name (NFKD, accents removed, lower case, split at anything
 *   that is not a letter or digit): "José  Álvarez-Núñez" → jose, alvarez, nunez;
 * - `name-prefix`: each prefix of 3 to 16 characters of each word of 3 letters or more
 *   ("alv", "alva", … "alvarez"), so a search box finds "Álvarez" from "alva";
 * - `dob`: the date of birth, YYYY-MM-DD.
 *
 * The leakage (equal tokens for equal words and birth dates, their frequencies) is written down
 * in docs/patient-search.md.
 */
import { deriveFieldKey, searchToken } from '../../crypto/search-token.js';
import type { Keyring } from '../keyring.js';

/** Keyring secret the per-field keys of patient tokens are derived from. */
export const PATIENT_SEARCH_SECRET = 'patient-search';

const FIELDS = ['name-word', 'name-prefix', 'dob'] as const;
type PatientTokenField = (typeof FIELDS)[number];

const MIN_PREFIX = 3;
/** Prefixes are indexed up to this many characters; a longer query word is looked up by its first 16. */
export const NAME_PREFIX_MAX = 16;
/** At most this many words of one name are indexed (a name is at most 200 characters). */
const MAX_NAME_WORDS = 12;

/** The words of a name as indexed and looked up: accents removed, lower case, letters and digits only. */
export function nameWords(name: string): string[] {
  const text = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const words = text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, MAX_NAME_WORDS);
}

const chars = (word: string): string[] => [...word];
const prefix = (word: string, n: number): string => chars(word).slice(0, n).join('');

/** One term: the field and its normalised value. */
interface Term {
  readonly field: PatientTokenField;
  readonly value: string;
}

/** What a patient is indexed under: every name word, every prefix of 3+ characters, the date of birth. */
export function patientTerms(fullName: string, dateOfBirth: string): Term[] {
  const out: Term[] = [{ field: 'dob', value: dateOfBirth }];
  for (const word of nameWords(fullName)) {
    out.push({ field: 'name-word', value: word });
    const length = Math.min(chars(word).length, NAME_PREFIX_MAX);
    for (let n = MIN_PREFIX; n <= length; n++) out.push({ field: 'name-prefix', value: prefix(word, n) });
  }
  return out;
}

/**
 * A staff search's terms: each typed word as a prefix (3+ characters) or, shorter, as a whole
 * word ("Li"); every one must match.
 */
export function searchTerms(name: string | undefined, dateOfBirth: string | undefined): Term[] {
  const out: Term[] = [];
  for (const word of name === undefined ? [] : nameWords(name))
    out.push(
      chars(word).length >= MIN_PREFIX
        ? { field: 'name-prefix', value: prefix(word, NAME_PREFIX_MAX) }
        : { field: 'name-word', value: word },
    );
  if (dateOfBirth !== undefined) out.push({ field: 'dob', value: dateOfBirth });
  return out;
}

/** A break-glass look-up's terms: every typed word as a WHOLE word (no prefixes), and the date of birth. */
export function exactTerms(name: string, dateOfBirth: string): Term[] {
  return [
    ...nameWords(name).map((value): Term => ({ field: 'name-word', value })),
    { field: 'dob', value: dateOfBirth },
  ];
}

/** Turns terms into tokens under the keyring's patient-search secret. */
export class PatientTokens {
  private keys: Map<PatientTokenField, Buffer> | undefined;

  constructor(private readonly keyring: Keyring) {}

  async tokens(terms: readonly Term[]): Promise<Buffer[]> {
    const keys = await this.fieldKeys();
    return terms.map((t) => searchToken(keys.get(t.field) as Buffer, t.value));
  }

  private async fieldKeys(): Promise<Map<PatientTokenField, Buffer>> {
    if (this.keys === undefined) {
      const secret = await this.keyring.secret(PATIENT_SEARCH_SECRET);
      this.keys = new Map(FIELDS.map((f) => [f, deriveFieldKey(secret, f)]));
    }
    return this.keys;
  }
}

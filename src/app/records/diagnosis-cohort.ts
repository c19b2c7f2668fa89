import type { DbOrTx } from '../../store/database.js';
import { patientsWithTokens } from '../../store/search-repository.js';
import { normaliseIcd10, normaliseKeyword, type IndexTerm } from './keywords.js';
import type { SearchIndex } from './search-index.js';

/**
 * The statistics' "by diagnosis" cohort: patients with a diagnosis indexed under a keyword or an
 * ICD-10 code, found through the same HMAC tokens as search (nothing is decrypted). Only counts
 * and noisy aggregates leave the analytics service, never this set.
 */
export class DiagnosisCohort {
  constructor(private readonly search: SearchIndex) {}

  async patientIdsForKeyword(db: DbOrTx, keyword: string): Promise<ReadonlySet<string>> {
    const terms: IndexTerm[] = [];
    const code = normaliseIcd10(keyword);
    if (code !== null) terms.push({ field: 'icd10', term: code });
    const phrase = normaliseKeyword(keyword);
    if (phrase !== null) terms.push({ field: 'diagnosis', term: phrase });
    return new Set(await patientsWithTokens(db, await this.search.tokens(terms), 'diagnosis'));
  }
}

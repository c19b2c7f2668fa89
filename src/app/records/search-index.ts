import { deriveFieldKey, searchToken } from '../../crypto/search-token.js';
import type { DbOrTx } from '../../store/database.js';
import { insertSearchTokens } from '../../store/search-repository.js';
import type { Keyring } from '../keyring.js';
import { SEARCH_FIELDS, type IndexTerm, type SearchField } from './keywords.js';

/** Keyring secret the per-field search keys are derived from. */
export const SEARCH_SECRET = 'search';

/**
 * Turns index terms into HMAC tokens under per-field keys derived from the keyring, and writes
 * them. No keyword ever reaches the database in clear: only tokens.
 */
export class SearchIndex {
  private keys: Map<SearchField, Buffer> | undefined;

  constructor(private readonly keyring: Keyring) {}

  async tokens(terms: readonly IndexTerm[]): Promise<Buffer[]> {
    const keys = await this.fieldKeys();
    return terms.map((t) => searchToken(keys.get(t.field) as Buffer, t.term));
  }

  /**
   * Writes a record's tokens inside the caller's transaction. Compute them with `tokens` before
   * the transaction opens: the first use of the search secret may write it to the keyring.
   */
  async index(
    tx: DbOrTx,
    record: { readonly id: string; readonly patientId: string; readonly createdAt: number },
    tokens: readonly Buffer[],
  ): Promise<void> {
    await insertSearchTokens(tx, record, tokens);
  }

  private async fieldKeys(): Promise<Map<SearchField, Buffer>> {
    if (this.keys === undefined) {
      const secret = await this.keyring.secret(SEARCH_SECRET);
      this.keys = new Map(SEARCH_FIELDS.map((f) => [f, deriveFieldKey(secret, f)]));
    }
    return this.keys;
  }
}

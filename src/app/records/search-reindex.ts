import { IntegrityError } from '../../crypto/errors.js';
import { openWithDek } from '../../crypto/envelope.js';
import { withTransaction, type Db } from '../../store/database.js';
import { countRecords, listRecordRowsAfter, type RecordRow } from '../../store/record-repository.js';
import { deleteSearchTokens, insertSearchTokens } from '../../store/search-repository.js';
import type { DataKeys } from '../data-keys.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { AppError } from '../errors.js';
import { indexTerms } from './keywords.js';
import { recordFieldContext, recordKeyContext } from './record-crypto.js';
import { validateBody } from './record-types.js';
import type { SearchIndex } from './search-index.js';

export interface ReindexDeps {
  readonly db: Db;
  readonly dataKeys: DataKeys;
  readonly search: SearchIndex;
  readonly audit: LedgerAppend;
}

export interface ReindexOptions {
  /** Records re-indexed per transaction. */
  readonly batchSize?: number;
  readonly onStart?: (total: number) => void;
  readonly onBatch?: (done: number) => void;
}

export interface ReindexResult {
  /** Records whose tokens were rebuilt. */
  readonly reindexed: number;
  /** Records left as they were: their ciphertext or key fails its check, or the body is not readable. */
  readonly skipped: number;
}

/**
 * Rebuilds the search tokens of every record from its title, body and keywords, as a new record
 * would be indexed today (records written before prefix search gain their prefixes). An
 * operator's maintenance pass on the server machine, like key rotation: it opens records with the
 * process's keys and writes only tokens (never clear text) and one `search.reindex` ledger entry
 * with counts. Each batch replaces its records' tokens in one transaction, so an interrupted run
 * leaves every record searchable and a re-run finishes the work.
 */
export async function reindexSearch(deps: ReindexDeps, options: ReindexOptions = {}): Promise<ReindexResult> {
  const batchSize = options.batchSize ?? 500;
  const { db } = deps;
  options.onStart?.(await countRecords(db));
  let reindexed = 0;
  let skipped = 0;
  let afterId = '';
  for (;;) {
    const rows = await listRecordRowsAfter(db, afterId, batchSize);
    if (rows.length === 0) break;
    const deks = await deps.dataKeys.deksFor(
      db,
      rows.map((row) => recordKeyContext(row.id, row.patient_id)),
    );
    const rebuilt: Array<{ row: RecordRow; tokens: Buffer[] }> = [];
    for (const [i, row] of rows.entries()) {
      const dek = deks[i];
      const terms = dek instanceof Buffer ? termsOf(row, dek) : undefined;
      if (terms === undefined) skipped++;
      else rebuilt.push({ row, tokens: await deps.search.tokens(terms) });
    }
    await withTransaction(db, async (tx) => {
      await deleteSearchTokens(
        tx,
        rebuilt.map(({ row }) => row.id),
      );
      for (const { row, tokens } of rebuilt)
        await insertSearchTokens(
          tx,
          { id: row.id, patientId: row.patient_id, createdAt: row.created_at },
          tokens,
        );
    });
    reindexed += rebuilt.length;
    afterId = rows.at(-1)!.id;
    options.onBatch?.(reindexed + skipped);
  }
  await deps.audit.append(db, {
    actor: null,
    action: 'search.reindex',
    target: { type: 'search_index', id: 'records' },
    patientId: null,
    outcome: 'success',
    details: { reindexed, skipped },
  });
  return { reindexed, skipped };
}

/** The record's index terms, or undefined when it does not open or its body is no longer valid. */
function termsOf(row: RecordRow, dek: Buffer): ReturnType<typeof indexTerms> | undefined {
  try {
    const title = openWithDek(
      row.title_ct,
      recordFieldContext(row.id, row.patient_id, 'title'),
      dek,
    ).toString('utf8');
    const sealed = JSON.parse(
      openWithDek(row.body_ct, recordFieldContext(row.id, row.patient_id, 'body'), dek).toString('utf8'),
    ) as { body?: unknown; keywords?: unknown };
    const keywords = Array.isArray(sealed.keywords)
      ? sealed.keywords.filter((k): k is string => typeof k === 'string')
      : [];
    return indexTerms(validateBody(row.type, sealed.body), keywords, title);
  } catch (err) {
    if (err instanceof IntegrityError || err instanceof SyntaxError || err instanceof AppError)
      return undefined;
    throw err;
  }
}

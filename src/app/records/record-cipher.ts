import { openWithDek, sealWithDek, type EnvelopeContext } from '../../crypto/envelope.js';
import type { DbOrTx } from '../../store/database.js';
import type { DataKeys } from '../data-keys.js';
import type { IntegrityError } from '../../crypto/errors.js';

/**
 * How the records service seals and opens a record: a DEK per record (kept wrapped in
 * data_keys) and the envelope AEAD bound to the field's context. Production always uses
 * {@link envelopeCipher}; the interface exists so the benchmark can measure the same path with
 * encryption switched off as its baseline. It is passed in code only, never chosen by config.
 */
export interface RecordCipher {
  newKey(tx: DbOrTx, ctx: EnvelopeContext, now: number): Promise<Buffer>;
  /** @throws IntegrityError when the key is missing or was moved. */
  keyFor(db: DbOrTx, ctx: EnvelopeContext): Promise<Buffer>;
  /**
   * The keys of many records (one table and field, as a list page's titles) in one round trip:
   * each entry the key, or the IntegrityError `keyFor` would have thrown for it alone.
   */
  keysFor(db: DbOrTx, contexts: readonly EnvelopeContext[]): Promise<(Buffer | IntegrityError)[]>;
  seal(plaintext: Uint8Array, ctx: EnvelopeContext, key: Buffer): Buffer;
  /** @throws IntegrityError when the payload, its key or its place do not match. */
  open(payload: Uint8Array, ctx: EnvelopeContext, key: Buffer): Buffer;
}

export const envelopeCipher = (dataKeys: DataKeys): RecordCipher => ({
  newKey: (tx, ctx, now) => dataKeys.createDek(tx, ctx, now),
  keyFor: (db, ctx) => dataKeys.dekFor(db, ctx),
  keysFor: (db, contexts) => dataKeys.deksFor(db, contexts),
  seal: sealWithDek,
  open: openWithDek,
});

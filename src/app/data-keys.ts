import {
  generateDek,
  openWithDek,
  sealWithDek,
  unwrapDek,
  wrapDek,
  wrappedDekVersion,
  type EnvelopeContext,
} from '../crypto/envelope.js';
import type { DbOrTx } from '../store/database.js';
import { findDataKey, findDataKeys, insertDataKey } from '../store/data-key-repository.js';
import type { Keyring } from './keyring.js';
import { IntegrityError } from '../crypto/errors.js';

/**
 * Envelope encryption of one stored object (a record body, a name, an attachment…): a fresh
 * DEK per object, wrapped by the keyring's current KEK and kept in data_keys, the payload
 * returned to the caller to store in its own row. Both are bound to `ctx`, the object's place.
 */
export class DataKeys {
  constructor(private readonly keyring: Keyring) {}

  /** Creates the object's DEK (in the caller's transaction) and seals `plaintext` with it. */
  async seal(tx: DbOrTx, ctx: EnvelopeContext, plaintext: Uint8Array): Promise<Buffer> {
    const dek = await this.createDek(tx, ctx);
    return sealWithDek(plaintext, ctx, dek);
  }

  /** Creates and stores a DEK for `ctx` and returns it (for streaming writers). */
  async createDek(tx: DbOrTx, ctx: EnvelopeContext, now = Date.now()): Promise<Buffer> {
    const kek = await this.keyring.syncCurrent(tx);
    const dek = generateDek();
    await insertDataKey(tx, ctx, kek.version, wrapDek(dek, ctx, kek), now);
    return dek;
  }

  /**
   * Opens an object's payload. The context comes from the caller (the row being read), never
   * from the stored key row, so a payload or key moved to another row fails to open.
   * @throws IntegrityError when the payload, its key or its place do not match.
   */
  async open(db: DbOrTx, ctx: EnvelopeContext, payload: Uint8Array): Promise<Buffer> {
    return openWithDek(payload, ctx, await this.dekFor(db, ctx));
  }

  /** Unwraps the DEK of `ctx` (for streaming readers). */
  async dekFor(db: DbOrTx, ctx: EnvelopeContext): Promise<Buffer> {
    const stored = await findDataKey(db, ctx);
    return this.unwrap(db, ctx, stored?.wrapped);
  }

  /**
   * The DEKs of many objects of one table and field (`contexts` differ only in row and patient),
   * read in one query instead of one per object. Each entry is the DEK, or the IntegrityError
   * {@link dekFor} would have thrown for that object alone.
   */
  async deksFor(db: DbOrTx, contexts: readonly EnvelopeContext[]): Promise<(Buffer | IntegrityError)[]> {
    const first = contexts[0];
    if (first === undefined) return [];
    if (contexts.some((c) => c.table !== first.table || c.field !== first.field))
      throw new TypeError('deksFor: every context must name the same table and field');
    const wrapped = await findDataKeys(
      db,
      first,
      contexts.map((c) => c.rowId),
    );
    const out: (Buffer | IntegrityError)[] = [];
    for (const ctx of contexts) {
      try {
        out.push(await this.unwrap(db, ctx, wrapped.get(ctx.rowId)));
      } catch (err) {
        if (!(err instanceof IntegrityError)) throw err;
        out.push(err);
      }
    }
    return out;
  }

  private async unwrap(db: DbOrTx, ctx: EnvelopeContext, wrapped: Buffer | undefined): Promise<Buffer> {
    if (wrapped === undefined) throw new IntegrityError('no data key for this object');
    if (!this.keyring.has(wrappedDekVersion(wrapped))) await this.keyring.reload(db);
    return unwrapDek(wrapped, ctx, this.keyring.lookup);
  }
}

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
import { findDataKey, insertDataKey } from '../store/data-key-repository.js';
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
    if (stored === undefined) throw new IntegrityError('no data key for this object');
    if (!this.keyring.has(wrappedDekVersion(stored.wrapped))) await this.keyring.reload(db);
    return unwrapDek(stored.wrapped, ctx, this.keyring.lookup);
  }
}

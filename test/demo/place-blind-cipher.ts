import { createHash } from 'node:crypto';
import type { AppContext } from '../../src/app/context.js';
import type { RecordCipher } from '../../src/app/records/index.js';
import { openWithDek, sealWithDek, unwrapDek, type EnvelopeContext } from '../../src/crypto/envelope.js';
import { IntegrityError } from '../../src/crypto/errors.js';
import { findDataKey } from '../../src/store/data-key-repository.js';

const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A deliberately BROKEN record cipher, for tests only: it opens every ciphertext and unwraps
 * every data key under the place it was sealed for (remembered in memory), not the place the
 * reader is reading — as a design that stored the associated data next to the ciphertext would.
 * The AES-GCM tag and key commitment still hold, so flipped bits are still caught; only the
 * binding of a ciphertext to its record and patient is gone.
 */
export function placeBlindCipher(app: AppContext): RecordCipher {
  const sealedFor = new Map<string, EnvelopeContext>();
  return {
    async newKey(tx, ctx, now) {
      const dek = await app.dataKeys.createDek(tx, ctx, now);
      const row = await findDataKey(tx, ctx);
      if (row !== undefined) sealedFor.set(digest(row.wrapped), ctx);
      return dek;
    },
    async keyFor(db, ctx) {
      const row = await findDataKey(db, ctx);
      if (row === undefined) throw new IntegrityError('no data key for this object');
      return unwrapDek(row.wrapped, sealedFor.get(digest(row.wrapped)) ?? ctx, app.keyring.lookup);
    },
    async keysFor(db, contexts) {
      const out: (Buffer | IntegrityError)[] = [];
      for (const ctx of contexts)
        out.push(await this.keyFor(db, ctx).catch((err: unknown) => err as IntegrityError));
      return out;
    },
    seal(plaintext, ctx, key) {
      const sealed = sealWithDek(plaintext, ctx, key);
      sealedFor.set(digest(sealed), ctx);
      return sealed;
    },
    open(payload, ctx, key) {
      return openWithDek(payload, sealedFor.get(digest(payload)) ?? ctx, key);
    },
  };
}

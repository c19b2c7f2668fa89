import { randomBytes } from 'node:crypto';
import type { EnvelopeContext } from '../../crypto/envelope.js';
import { IntegrityError, UnsupportedFormatError } from '../../crypto/errors.js';
import {
  DEFAULT_PAILLIER_BITS,
  generatePaillierKey,
  PaillierPrivateKey,
  type PaillierKeyBits,
} from '../../crypto/paillier.js';
import { ObfuscatorPool } from '../../crypto/paillier-pool.js';
import { VitalTags } from '../../crypto/vital-tags.js';
import { withTransaction, type Db, type DbOrTx } from '../../store/database.js';
import { findAnalyticsKey, insertAnalyticsKeyIfAbsent } from '../../store/analytics-repository.js';
import type { DataKeys } from '../data-keys.js';
import { integrityFailure } from '../errors.js';

/** The one analytics key's row id (a later rotation would add "paillier:2"). */
export const ANALYTICS_KEY_ID = 'paillier:1';

/** Sealed material: "MVAK" | version 1 | tag secret (32 bytes) | Paillier private key (paillier.ts format). */
const MATERIAL_MAGIC = Buffer.from('MVAK', 'ascii');
const MATERIAL_VERSION = 1;
const SECRET_BYTES = 32;

const keyPlace = (id: string): EnvelopeContext => ({
  table: 'analytics_keys',
  rowId: id,
  patientId: null,
  field: 'private_key',
});

/** What encrypting, tagging and decrypting vitals need, loaded once per process. */
export interface AnalyticsKey {
  readonly id: string;
  readonly paillier: PaillierPrivateKey;
  /** Precomputed obfuscators for the encryptions on the request path. */
  readonly pool: ObfuscatorPool;
  readonly tags: VitalTags;
}

export interface AnalyticsKeyOptions {
  /** Modulus size of a key created here (default 3072; tests pass 1024 or 2048 for speed). */
  readonly bits?: PaillierKeyBits;
  /** Obfuscators kept ready (default 64). */
  readonly poolSize?: number;
}

/**
 * The analytics key: a Paillier private key and a 32-byte tag secret, sealed together as one
 * envelope payload in `analytics_keys` with a data key wrapped by the keyring's KEK (so `keys
 * rotate` re-wraps it like any record's, and a database without the master key cannot open it).
 * Created on first use, by whichever process needs it first: the row is claimed with a
 * placeholder insert (a unique id; a concurrent creator waits on it, then reads the winner's),
 * sealed and filled in the same transaction. Only this module and the analytics service see the
 * private key; the sink uses it to encrypt fast (CRT obfuscators), the service to decrypt totals.
 */
export class AnalyticsKeyStore {
  private cached: { key: AnalyticsKey; sealed: Buffer } | undefined;

  constructor(
    private readonly dataKeys: DataKeys,
    private readonly options: AnalyticsKeyOptions = {},
  ) {}

  /**
   * The key, loading or creating it with `db` (pass the caller's transaction when inside one:
   * nothing here reaches the database another way). One cheap read per call confirms the cached
   * key is the stored one (a key created in a transaction that rolled back is never reused).
   * @throws AppError integrity_failure when the stored key does not open.
   */
  async get(db: DbOrTx): Promise<AnalyticsKey> {
    const row = await findAnalyticsKey(db, ANALYTICS_KEY_ID);
    if (row !== undefined && row.sealed.length > 0) {
      if (this.cached !== undefined && this.cached.sealed.equals(row.sealed)) return this.cached.key;
      return this.remember(row.sealed, await this.open(db, row.sealed));
    }
    return this.create(db);
  }

  /** Stops the obfuscator pool's background work. */
  close(): void {
    this.cached?.key.pool.stop();
    this.cached = undefined;
  }

  private async create(db: DbOrTx): Promise<AnalyticsKey> {
    // Primes first (seconds at worst), outside any lock we take.
    const paillier = await generatePaillierKey(this.options.bits ?? DEFAULT_PAILLIER_BITS);
    const secret = randomBytes(SECRET_BYTES);
    const sealed = await withTransaction(db as Db, async (tx) => {
      const now = Date.now();
      await insertAnalyticsKeyIfAbsent(tx, {
        id: ANALYTICS_KEY_ID,
        bits: paillier.publicKey.bits,
        sealed: Buffer.alloc(0),
        createdAt: now,
      });
      const claimed = await findAnalyticsKey(tx, ANALYTICS_KEY_ID);
      if (claimed !== undefined && claimed.sealed.length > 0) return claimed.sealed; // another process won
      const material = Buffer.concat([header(), secret, paillier.export()]);
      const payload = await this.dataKeys.seal(tx, keyPlace(ANALYTICS_KEY_ID), material);
      await tx
        .updateTable('analytics_keys')
        .set({ sealed: payload })
        .where('id', '=', ANALYTICS_KEY_ID)
        .execute();
      return payload;
    });
    return this.remember(sealed, await this.open(db, sealed));
  }

  private async open(db: DbOrTx, sealed: Buffer): Promise<{ paillier: PaillierPrivateKey; secret: Buffer }> {
    try {
      const material = await this.dataKeys.open(db, keyPlace(ANALYTICS_KEY_ID), sealed);
      if (material.length < 5 + SECRET_BYTES || !material.subarray(0, 5).equals(header()))
        throw new UnsupportedFormatError('analytics key material');
      return {
        secret: material.subarray(5, 5 + SECRET_BYTES),
        paillier: PaillierPrivateKey.import(material.subarray(5 + SECRET_BYTES)),
      };
    } catch (err) {
      if (err instanceof IntegrityError || err instanceof UnsupportedFormatError) throw integrityFailure();
      throw err;
    }
  }

  private remember(sealed: Buffer, opened: { paillier: PaillierPrivateKey; secret: Buffer }): AnalyticsKey {
    this.cached?.key.pool.stop();
    const pool = new ObfuscatorPool(opened.paillier, { size: this.options.poolSize ?? 64 });
    pool.refill();
    const key: AnalyticsKey = {
      id: ANALYTICS_KEY_ID,
      paillier: opened.paillier,
      pool,
      tags: new VitalTags(opened.secret),
    };
    this.cached = { key, sealed };
    return key;
  }
}

function header(): Buffer {
  return Buffer.concat([MATERIAL_MAGIC, Buffer.from([MATERIAL_VERSION])]);
}

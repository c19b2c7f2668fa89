import { randomBytes } from 'node:crypto';
import { openWithDek, sealWithDek, type EnvelopeContext, type Kek } from '../crypto/envelope.js';
import { IntegrityError, UnknownKeyVersionError } from '../crypto/errors.js';
import { withTransaction, type Db, type DbOrTx } from '../store/database.js';
import { insertKeyringKey, latestKeyringVersion, listKeyringKeys } from '../store/keyring-repository.js';
import { StartupError } from './startup-error.js';

export const KEK_PURPOSE = 'kek';
const SECRET_PURPOSE_PREFIX = 'secret:';
const KEY_BYTES = 32;

/** Where a keyring key is sealed: the AAD names its row, so a sealed key moved to another id fails. */
const sealContext = (id: string): EnvelopeContext => ({
  table: 'keyring_keys',
  rowId: id,
  patientId: null,
  field: 'key',
});
const kekId = (version: number): string => `${KEK_PURPOSE}:${version}`;

/**
 * The keyring: versioned key-encryption keys (KEKs) and named secrets (pepper, search key,
 * ledger signing seed…), each a random 32-byte key stored in the database sealed under the
 * master key. The master key never reaches the database; without it the keyring is noise.
 */
export class Keyring {
  private keks = new Map<number, Buffer>();
  private secrets = new Map<string, Buffer>();

  private constructor(
    private readonly db: Db,
    private readonly masterKey: Buffer,
    private readonly location: string,
  ) {}

  /**
   * Opens the keyring in the database, creating KEK version 1 on first start.
   * @throws StartupError when the master key cannot open a stored key.
   */
  static async open(db: Db, masterKey: Buffer, location: string): Promise<Keyring> {
    const keyring = new Keyring(db, masterKey, location);
    await keyring.reload();
    if (keyring.keks.size === 0) await keyring.addKekVersion();
    return keyring;
  }

  /** Whether the database already holds a keyring (decides if a missing key file is an error). */
  static async exists(db: DbOrTx): Promise<boolean> {
    return (await latestKeyringVersion(db, KEK_PURPOSE)) > 0;
  }

  /** Re-reads every key, e.g. after another process rotated. */
  async reload(db: DbOrTx = this.db): Promise<void> {
    for (const row of await listKeyringKeys(db)) {
      let key: Buffer;
      try {
        key = openWithDek(row.sealed, sealContext(row.id), this.masterKey);
      } catch (err) {
        if (err instanceof IntegrityError) {
          throw new StartupError(
            `the master key does not open the keyring in ${this.location}: use the MEDVAULT_MASTER_KEY or master.key this database was created with`,
          );
        }
        throw err;
      }
      if (row.purpose === KEK_PURPOSE) this.keks.set(row.version, key);
      else this.secrets.set(row.purpose.slice(SECRET_PURPOSE_PREFIX.length), key);
    }
  }

  /**
   * Lends the master key to `use` (splitting it between officers, deriving a backup key). The
   * only way out of the keyring: grep for it.
   */
  withMasterKey<T>(use: (masterKey: Buffer) => T): T {
    return use(this.masterKey);
  }

  /** The newest KEK this process knows; new DEKs are wrapped by it. */
  currentKek(): Kek {
    const version = Math.max(...this.keks.keys());
    return { version, key: this.keks.get(version) as Buffer };
  }

  /** KEK versions known, ascending. */
  versions(): number[] {
    return [...this.keks.keys()].sort((a, b) => a - b);
  }

  has(version: number): boolean {
    return this.keks.has(version);
  }

  /** Finds a KEK by version (synchronous, for the crypto layer). */
  readonly lookup = (version: number): Kek => {
    const key = this.keks.get(version);
    if (key === undefined) throw new UnknownKeyVersionError(version);
    return { version, key };
  };

  /**
   * Makes sure this process wraps with the database's newest KEK: another process (a
   * `keys rotate`) may have added one since this keyring was loaded.
   */
  async syncCurrent(db: DbOrTx = this.db): Promise<Kek> {
    const latest = await latestKeyringVersion(db, KEK_PURPOSE);
    if (!this.keks.has(latest)) await this.reload(db);
    return this.currentKek();
  }

  /** Adds a fresh KEK with the next version number and returns it. */
  async addKekVersion(now = Date.now()): Promise<Kek> {
    return withTransaction(this.db, async (tx) => {
      const version = (await latestKeyringVersion(tx, KEK_PURPOSE)) + 1;
      const key = randomBytes(KEY_BYTES);
      const id = kekId(version);
      await insertKeyringKey(tx, {
        id,
        purpose: KEK_PURPOSE,
        version,
        sealed: sealWithDek(key, sealContext(id), this.masterKey),
        created_at: now,
      });
      this.keks.set(version, key);
      return { version, key };
    });
  }

  /**
   * A named 32-byte secret (e.g. "pepper"), created on first use. Two processes creating it at
   * once agree: the loser's insert is ignored and it reads the winner's key.
   */
  async secret(name: string): Promise<Buffer> {
    const known = this.secrets.get(name);
    if (known !== undefined) return known;
    const id = SECRET_PURPOSE_PREFIX + name;
    const key = randomBytes(KEY_BYTES);
    await this.db
      .insertInto('keyring_keys')
      .values({
        id,
        purpose: id,
        version: 1,
        sealed: sealWithDek(key, sealContext(id), this.masterKey),
        created_at: Date.now(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await this.reload();
    const stored = this.secrets.get(name);
    if (stored === undefined) throw new Error(`keyring secret ${name} could not be created`);
    return stored;
  }
}

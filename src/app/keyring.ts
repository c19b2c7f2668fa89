import { randomBytes } from 'node:crypto';
import { backupKeys, type BackupKeys } from '../crypto/backup-keys.js';
import type { EnvelopeContext, WrappingKek } from '../crypto/envelope.js';
import { IntegrityError, UnknownKeyVersionError, UnsupportedFormatError } from '../crypto/errors.js';
import { withTransaction, type Db, type DbOrTx } from '../store/database.js';
import {
  deleteKeyringVersionsBelow,
  insertKeyringKey,
  latestKeyringVersion,
  listKeyringKeys,
  resealKeyringKey,
} from '../store/keyring-repository.js';
import type { KeyRoot } from './key-root/key-root.js';
import { MasterKeyRoot } from './key-root/master-key-root.js';
import { StartupError } from './startup-error.js';

export const KEK_PURPOSE = 'kek';
const SECRET_PURPOSE_PREFIX = 'secret:';
const KEY_BYTES = 32;

/** Where a keyring key is sealed: the AAD names its row, so a sealed key moved to another id fails. */
export const sealContext = (id: string): EnvelopeContext => ({
  table: 'keyring_keys',
  rowId: id,
  patientId: null,
  field: 'key',
});
export const kekId = (version: number): string => `${KEK_PURPOSE}:${version}`;

/**
 * The keyring: versioned key-encryption keys (KEKs) and named secrets (pepper, search key,
 * ledger signing seed…), each stored in the database sealed under the root: a master key, or a
 * key inside a PKCS#11 module (then the KEKs stay in the module too, and DEKs are wrapped there).
 * The root never reaches the database; without it the keyring is noise.
 */
export class Keyring {
  private keks = new Map<number, WrappingKek>();
  private secrets = new Map<string, Buffer>();
  private root: KeyRoot;

  private constructor(
    private readonly db: Db,
    root: KeyRoot | Buffer,
    private readonly location: string,
  ) {
    this.root = Buffer.isBuffer(root) ? new MasterKeyRoot(root) : root;
  }

  /**
   * Opens the keyring in the database, creating KEK version 1 on first start. A Buffer is a
   * master key held in this process.
   * @throws StartupError when the root cannot open a stored key.
   */
  static async open(db: Db, root: KeyRoot | Buffer, location: string): Promise<Keyring> {
    const keyring = new Keyring(db, root, location);
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
      if (row.purpose === KEK_PURPOSE && this.keks.has(row.version)) continue;
      try {
        const ctx = sealContext(row.id);
        if (row.purpose === KEK_PURPOSE)
          this.keks.set(row.version, this.root.openKek(row.version, row.sealed, ctx));
        else
          this.secrets.set(row.purpose.slice(SECRET_PURPOSE_PREFIX.length), this.root.open(row.sealed, ctx));
      } catch (err) {
        if (err instanceof IntegrityError || err instanceof UnsupportedFormatError) {
          throw new StartupError(
            `the ${this.root.origin} does not open the keyring in ${this.location}: use the master key (MEDVAULT_MASTER_KEY, master.key, officers' shares) or PKCS#11 token this database was sealed with`,
          );
        }
        throw err;
      }
    }
  }

  /** What holds the root (e.g. "PKCS#11 token T"), for messages. */
  get rootOrigin(): string {
    return this.root.origin;
  }

  /**
   * Lends the master key to `use` (splitting it between officers). The only way out of the
   * keyring: grep for it.
   * @throws StartupError when the root is inside a PKCS#11 module (it never leaves it).
   */
  withMasterKey<T>(use: (masterKey: Buffer) => T): T {
    const key = this.root.masterKey;
    if (key === undefined)
      throw new StartupError(
        `the keyring's root is the ${this.root.origin} and never leaves it: this command needs a master key held in this process`,
      );
    return use(key);
  }

  /**
   * A backup's keys (src/crypto/backup-keys.ts), derived from the root. With a master key in this
   * process they derive from it and nothing else is returned. With a root inside a PKCS#11 module
   * they derive from a fresh random 32-byte secret that the module seals under `ctx` (bound to the
   * backup): `sealedSecret` goes in the backup's header, and only that token opens it again.
   */
  deriveBackupKeys(salt: Buffer, ctx: EnvelopeContext): { keys: BackupKeys; sealedSecret: Buffer | null } {
    const master = this.root.masterKey;
    if (master !== undefined) return { keys: backupKeys(master, salt), sealedSecret: null };
    const secret = randomBytes(KEY_BYTES);
    try {
      return { keys: backupKeys(secret, salt), sealedSecret: this.root.seal(secret, ctx) };
    } finally {
      secret.fill(0);
    }
  }

  /** The newest KEK this process knows; new DEKs are wrapped by it. */
  currentKek(): WrappingKek {
    const version = Math.max(...this.keks.keys());
    return this.keks.get(version) as WrappingKek;
  }

  /** KEK versions known, ascending. */
  versions(): number[] {
    return [...this.keks.keys()].sort((a, b) => a - b);
  }

  has(version: number): boolean {
    return this.keks.has(version);
  }

  /** Finds a KEK by version (synchronous, for the crypto layer). */
  readonly lookup = (version: number): WrappingKek => {
    const kek = this.keks.get(version);
    if (kek === undefined) throw new UnknownKeyVersionError(version);
    return kek;
  };

  /**
   * Makes sure this process wraps with the database's newest KEK: another process (a
   * `keys rotate`) may have added one since this keyring was loaded.
   */
  async syncCurrent(db: DbOrTx = this.db): Promise<WrappingKek> {
    const latest = await latestKeyringVersion(db, KEK_PURPOSE);
    if (!this.keks.has(latest)) await this.reload(db);
    return this.currentKek();
  }

  /** Adds a fresh KEK with the next version number and returns it. */
  async addKekVersion(now = Date.now()): Promise<WrappingKek> {
    return withTransaction(this.db, async (tx) => {
      const version = (await latestKeyringVersion(tx, KEK_PURPOSE)) + 1;
      const id = kekId(version);
      const { sealed, kek } = this.root.createKek(version, sealContext(id));
      await insertKeyringKey(tx, { id, purpose: KEK_PURPOSE, version, sealed, created_at: now });
      this.keks.set(version, kek);
      return kek;
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
        sealed: this.root.seal(key, sealContext(id)),
        created_at: Date.now(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await this.reload();
    const stored = this.secrets.get(name);
    if (stored === undefined) throw new Error(`keyring secret ${name} could not be created`);
    return stored;
  }

  /**
   * Moves the keyring under `newRoot`, inside the caller's transaction `tx`: every named secret
   * re-sealed by it, and a new KEK version made by it (returned: the caller re-wraps every DEK
   * under it, then calls {@link dropKeksBelow}). Only once `tx` commits does the new root hold
   * the keyring; call {@link adoptRoot} then.
   */
  async resealSecrets(tx: DbOrTx, newRoot: KeyRoot, now = Date.now()): Promise<WrappingKek> {
    await this.reload(tx);
    for (const [name, secret] of this.secrets) {
      const id = SECRET_PURPOSE_PREFIX + name;
      await resealKeyringKey(tx, id, newRoot.seal(secret, sealContext(id)));
    }
    const version = (await latestKeyringVersion(tx, KEK_PURPOSE)) + 1;
    const id = kekId(version);
    const { sealed, kek } = newRoot.createKek(version, sealContext(id));
    await insertKeyringKey(tx, { id, purpose: KEK_PURPOSE, version, sealed, created_at: now });
    this.keks.set(version, kek);
    return kek;
  }

  /** Deletes the KEK rows older than `version` (sealed by the old root, wrapping nothing now). */
  dropKeksBelow(tx: DbOrTx, version: number): Promise<number> {
    return deleteKeyringVersionsBelow(tx, KEK_PURPOSE, version);
  }

  /** After a committed re-seal: this process now holds the keyring by `newRoot` alone. */
  adoptRoot(newRoot: KeyRoot): void {
    const current = this.currentKek();
    this.keks = new Map([[current.version, current]]);
    this.root = newRoot;
  }
}

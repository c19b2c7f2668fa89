/**
 * The ledger's checkpoint signing keys: the first one, every handover since (a statement signed by
 * the old key and the new naming the log's size at the change), and the key that signs now.
 * Verifiers hold each key to its span of tree sizes (src/crypto/key-handover.ts).
 */
import { CheckpointKeyChain, signHandover } from '../../crypto/key-handover.js';
import { withTransaction, type DbOrTx, type Tx } from '../../store/database.js';
import { lockLedgerHead } from '../../store/ledger-repository.js';
import {
  currentLedgerKeyGeneration,
  insertLedgerKeyHandover,
  listLedgerKeyHandovers,
} from '../../store/ledger-key-handover-repository.js';
import { integrityFailure, invalidInput } from '../errors.js';
import type { Keyring } from '../keyring.js';
import { ledgerSigningKey, type LedgerSigningKey } from './signing-key.js';

/** Keyring secret that seeds the Ed25519 checkpoint key (the first; later ones add `-<generation>`). */
export const LEDGER_SIGNING_SECRET = 'ledger-signing';
const signingSecret = (generation: number): string =>
  generation === 1 ? LEDGER_SIGNING_SECRET : `${LEDGER_SIGNING_SECRET}-${generation}`;

/** What a handover made: the new key's generation and verifier key, from which tree size, and the statement. */
export interface Handover {
  readonly generation: number;
  readonly treeSize: number;
  readonly verifierKey: string;
  readonly statement: string;
}

export class LedgerKeys {
  /** The first key and every handover since: what checkpoints are verified with. */
  private chain: CheckpointKeyChain;

  private constructor(
    private readonly keyring: Keyring,
    /** The key that signs new checkpoints (the chain's current one). */
    private key: LedgerSigningKey,
  ) {
    this.chain = CheckpointKeyChain.follow(key.verifierKey, []);
  }

  /** Loads (creating on first use) the first signing secret; later keys are found by {@link sync}. */
  static async open(keyring: Keyring): Promise<LedgerKeys> {
    return new LedgerKeys(keyring, ledgerSigningKey(await keyring.secret(LEDGER_SIGNING_SECRET)));
  }

  /** The key that signs checkpoints now (call {@link sync} first to see another process's handover). */
  get signing(): LedgerSigningKey {
    return this.key;
  }

  /** The ledger's keys, for checking checkpoints. */
  get keyChain(): CheckpointKeyChain {
    return this.chain;
  }

  /**
   * Follows the handovers stored in the database (another process may have made one) and signs
   * with the newest key from then on.
   * @throws AppError integrity_failure when a stored statement does not continue the chain.
   */
  async sync(db: DbOrTx): Promise<CheckpointKeyChain> {
    if ((await currentLedgerKeyGeneration(db)) === this.chain.current.generation) return this.chain;
    const genesis = this.chain.keys[0]!.verifierKey;
    const rows = await listLedgerKeyHandovers(db);
    let chain: CheckpointKeyChain;
    try {
      chain = CheckpointKeyChain.follow(
        genesis,
        rows.map((r) => r.statement),
      );
    } catch (err) {
      throw integrityFailure(
        `The ledger's key handovers do not form a chain from its first key (${(err as Error).message}): run \`medvault audit verify\`.`,
      );
    }
    const generation = chain.current.generation;
    const key = ledgerSigningKey(await this.keyring.secret(signingSecret(generation)), chain.origin);
    if (key.verifierKey !== chain.current.verifierKey)
      throw integrityFailure(`The keyring's ledger signing key ${generation} is not the one handed over to.`);
    this.chain = chain;
    this.key = key;
    return chain;
  }

  /**
   * Hands the signing key over to a new one: a statement signed by the current key (and the new
   * one) names the new key and the log's size, stored with `record` (the caller's ledger entry)
   * in one transaction, with the head locked so no entry lands in between.
   */
  async handOver(
    db: DbOrTx,
    now: number,
    record: (tx: Tx, handover: Handover) => Promise<unknown>,
  ): Promise<Handover> {
    await this.sync(db);
    const generation = this.chain.current.generation + 1;
    // Created (or found, after a failed attempt) outside the transaction: the keyring is shared.
    const next = ledgerSigningKey(await this.keyring.secret(signingSecret(generation)), this.chain.origin);
    const result = await withTransaction(db, async (tx) => {
      const head = await lockLedgerHead(tx);
      if ((await currentLedgerKeyGeneration(tx)) !== generation - 1)
        throw invalidInput('another process handed the signing key over at the same time: try again');
      const statement = signHandover(
        { origin: this.chain.origin, generation, treeSize: head.size, timestamp: Math.floor(now / 1000) },
        this.key.privateKey,
        next.privateKey,
      );
      await insertLedgerKeyHandover(tx, { generation, treeSize: head.size, statement, createdAt: now });
      const handover = { generation, treeSize: head.size, verifierKey: next.verifierKey, statement };
      await record(tx, handover);
      return handover;
    });
    await this.sync(db);
    return result;
  }

  /** Every handover statement, oldest first: what an outside verifier follows from the first key. */
  async statements(db: DbOrTx): Promise<string[]> {
    return (await listLedgerKeyHandovers(db)).map((r) => r.statement);
  }
}

import type { Db } from '../../store/database.js';
import type { Actor } from '../actor.js';
import { forbidden, notFound } from '../errors.js';
import { requirePermission } from '../policy.js';
import type {
  AuditLedger,
  EntryPage,
  LedgerCheckpoint,
  LedgerEntryFilter,
  LedgerPublicKey,
  PageRequest,
} from './ledger.js';
import { PROOF_FORMAT, type ConsistencyProofDocument, type InclusionProofDocument } from './proof-format.js';
import type { VerifyResult } from './verify.js';

/** A new checkpoint is signed on request only when the log grew and the last is this old. */
const CHECKPOINT_MIN_AGE_MS = 5_000;

/**
 * Who may see what of the audit ledger (the ledger itself decides nothing):
 * - admins read entries, ask any proof and run a full verification;
 * - a patient gets inclusion proofs for the entries about their own data, so they can prove an
 *   access they see in their history is in the signed log;
 * - any logged-in user gets the latest checkpoint and consistency proofs (hashes only: they
 *   reveal no entry), which is all a witness needs;
 * - anyone gets the public key.
 */
export class LedgerAccess {
  constructor(
    private readonly db: Db,
    private readonly ledger: AuditLedger,
    private readonly clock: () => number = Date.now,
  ) {}

  entries(actor: Actor, filter: LedgerEntryFilter, page: PageRequest): Promise<EntryPage> {
    requirePermission(actor, 'audit.read');
    return this.ledger.entries(this.db, filter, page);
  }

  /**
   * The newest signed checkpoint; signs a fresh one when the log has grown since the last and
   * that one is a few seconds old, so watchers see new entries without a signature per request.
   */
  async checkpoint(_actor: Actor): Promise<LedgerCheckpoint> {
    const [latest, size] = await Promise.all([
      this.ledger.latestCheckpoint(this.db),
      this.ledger.size(this.db),
    ]);
    if (
      latest !== null &&
      (latest.treeSize >= size || this.clock() - latest.createdAt < CHECKPOINT_MIN_AGE_MS)
    ) {
      return latest;
    }
    return this.ledger.checkpoint(this.db);
  }

  publicKey(): LedgerPublicKey {
    return this.ledger.publicKey();
  }

  async inclusionProof(actor: Actor, index: number, treeSize: number): Promise<InclusionProofDocument> {
    if (actor.role === 'patient') {
      // Only entries about the patient's own data; anything else is "not found", not "forbidden".
      const entry = await this.ledger.entry(this.db, index).catch(() => null);
      if (entry === null || entry.patientId !== actor.userId) throw notFound('ledger entry');
    } else if (actor.role !== 'admin') {
      throw forbidden();
    }
    const proof = await this.ledger.inclusionProof(this.db, index, treeSize);
    const entry = await this.ledger.canonicalEntry(this.db, index);
    return { format: PROOF_FORMAT, type: 'inclusion', origin: this.ledger.origin, ...proof, entry };
  }

  async consistencyProof(_actor: Actor, from: number, to: number): Promise<ConsistencyProofDocument> {
    const proof = await this.ledger.consistencyProof(this.db, from, to);
    return { format: PROOF_FORMAT, type: 'consistency', origin: this.ledger.origin, ...proof };
  }

  verify(actor: Actor): Promise<VerifyResult> {
    requirePermission(actor, 'audit.read');
    return this.ledger.verify(this.db);
  }
}

import type { Db } from '../../store/database.js';
import type { AccessScope } from '../access/index.js';
import type {
  AuditLedger,
  EntryPage,
  LedgerCheckpoint,
  LedgerEntryFilter,
  LedgerPublicKey,
  PageRequest,
} from './ledger.js';
import { PROOF_FORMAT, type ConsistencyProofDocument, type InclusionProofDocument } from './proof-format.js';
import type { LedgerVerification, LedgerVerificationResult } from './ledger-verification.js';

/** A new checkpoint is signed on request only when the log grew and the last is this old. */
const CHECKPOINT_MIN_AGE_MS = 5_000;

/**
 * What of the audit ledger each caller may see, asked of the caller's access scope (neither the
 * ledger nor this adapter decides anything):
 * - admins read entries, ask any proof and run a full verification ('audit.read');
 * - a patient gets inclusion proofs for the entries about their own data, so they can prove an
 *   access they see in their history is in the signed log (`scope.ledgerEntry`);
 * - any logged-in user gets the latest checkpoint and consistency proofs (hashes only: they
 *   reveal no entry), which is all a witness needs ('ledger.witness');
 * - anyone gets the public key.
 */
export class LedgerAccess {
  constructor(
    private readonly db: Db,
    private readonly ledger: AuditLedger,
    private readonly verification: LedgerVerification,
    private readonly clock: () => number = Date.now,
  ) {}

  entries(scope: AccessScope, filter: LedgerEntryFilter, page: PageRequest): Promise<EntryPage> {
    scope.require('audit.read');
    return this.ledger.entries(this.db, filter, page);
  }

  /**
   * The newest signed checkpoint; signs a fresh one when the log has grown since the last and
   * that one is a few seconds old, so watchers see new entries without a signature per request.
   */
  async checkpoint(scope: AccessScope): Promise<LedgerCheckpoint> {
    scope.require('ledger.witness');
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

  async inclusionProof(scope: AccessScope, index: number, treeSize: number): Promise<InclusionProofDocument> {
    await scope.ledgerEntry(this.db, index);
    const proof = await this.ledger.inclusionProof(this.db, index, treeSize);
    const entry = await this.ledger.canonicalEntry(this.db, index);
    return { format: PROOF_FORMAT, type: 'inclusion', origin: this.ledger.origin, ...proof, entry };
  }

  async consistencyProof(scope: AccessScope, from: number, to: number): Promise<ConsistencyProofDocument> {
    scope.require('ledger.witness');
    const proof = await this.ledger.consistencyProof(this.db, from, to);
    return { format: PROOF_FORMAT, type: 'consistency', origin: this.ledger.origin, ...proof };
  }

  /** The whole log, held to the checkpoints in the database and outside it (file, witnesses). */
  verify(scope: AccessScope): Promise<LedgerVerificationResult> {
    scope.require('audit.read');
    return this.verification.verify();
  }
}

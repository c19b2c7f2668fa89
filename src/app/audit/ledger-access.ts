import type { Db } from '../../store/database.js';
import { displayNames } from '../../store/user-repository.js';
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
import type { LedgerEntry } from './entry.js';
import { actorLabel, entrySentence, patientLabel } from './entry-words.js';
import { CSV_HEADER, csvLine, entryCsvLine, type DescribedEntry } from './ledger-csv.js';

/** Entries per page the CSV export reads: memory stays at one page whatever the ledger's size. */
const EXPORT_PAGE = 200;

/** A page of entries as the admin reads them: each with its actor's name and a sentence. */
export interface DescribedPage {
  readonly entries: DescribedEntry[];
  readonly nextBefore: number | null;
}

/** The ledger's public key as published: the current key, the first key and the handovers between. */
export interface PublishedLedgerKeys extends LedgerPublicKey {
  readonly firstKey: string;
  readonly handovers: string[];
}

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

  /** A page of entries matching `filter`, newest first, each said in words (entry-words.ts). */
  async entries(scope: AccessScope, filter: LedgerEntryFilter, page: PageRequest): Promise<DescribedPage> {
    scope.require('audit.read');
    const found: EntryPage = await this.ledger.entries(this.db, filter, page);
    return { entries: await this.describe(found.entries), nextBefore: found.nextBefore };
  }

  /**
   * The entries matching `filter` as CSV lines (header first), newest first, read a page at a
   * time so a large ledger never sits in memory. The export is itself a ledger entry
   * (`audit.export`, with the filter), appended before the first line is produced: the file never
   * leaves without its trace. Entries appended during the export are not in it (it reads below the
   * ledger's size when it started).
   * @throws AppError forbidden for every role but admin (before anything is read or written).
   */
  async exportCsv(scope: AccessScope, filter: LedgerEntryFilter): Promise<AsyncIterable<string>> {
    scope.require('audit.read');
    // Validates the filter (unknown action, bad times) before the export is ledgered.
    await this.ledger.entries(this.db, filter, { limit: 1 });
    const size = await this.ledger.size(this.db);
    const details: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) details[k] = v;
    await this.ledger.append(this.db, {
      actor: scope.actor,
      action: 'audit.export',
      target: null,
      patientId: null,
      outcome: 'success',
      details: { filter: details, upTo: size },
    });
    return this.csvLines(filter, size);
  }

  private async *csvLines(filter: LedgerEntryFilter, before: number): AsyncGenerator<string> {
    yield csvLine(CSV_HEADER);
    let cursor: number | null = before;
    while (cursor !== null) {
      const page = await this.ledger.entries(this.db, filter, { limit: EXPORT_PAGE, before: cursor });
      for (const entry of await this.describe(page.entries)) yield entryCsvLine(entry);
      cursor = page.nextBefore;
    }
  }

  private async describe(entries: readonly LedgerEntry[]): Promise<DescribedEntry[]> {
    const names = await displayNames(
      this.db,
      entries.flatMap((e) => (e.actor === null ? [] : [e.actor.userId])),
    );
    return entries.map((e) => ({
      ...e,
      actorName: actorLabel(e, names),
      patientLabel: e.patientId === null ? null : patientLabel(e.patientId),
      sentence: entrySentence(e, names),
    }));
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

  /**
   * The key that signs now, and what a verifier follows to trust it: the first key and every
   * handover (after following those another process made).
   */
  async publicKey(): Promise<PublishedLedgerKeys> {
    const chain = await this.ledger.syncKeys(this.db);
    return {
      ...this.ledger.publicKey(),
      firstKey: chain.keys[0]!.verifierKey,
      handovers: await this.ledger.handovers(this.db),
    };
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

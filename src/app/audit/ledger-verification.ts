import type { Db } from '../../store/database.js';
import type { AuditLedger } from './ledger.js';
import { collectOutsideCheckpoints, type OutsideSource, type Witnessed } from './outside-checkpoints.js';
import type { VerifyOptions, VerifyResult } from './verify.js';
import type { WitnessClient } from './witness-client.js';

/** A verification together with what was found outside the database. */
export type LedgerVerificationResult = VerifyResult & {
  /** Each place outside the database that was consulted, with the size found there. */
  readonly outside: readonly OutsideSource[];
  /** How far each configured witness has cosigned the log. */
  readonly witnessed: readonly Witnessed[];
};

/**
 * `audit verify` (CLI and HTTP): the whole log, held to the checkpoints in the database AND to the
 * newest checkpoint outside it — the checkpoint file and every configured witness — so a database
 * whose newest entries were deleted with its head row and checkpoint rows fixed to match is caught
 * as truncated (a smaller log) or rewritten (another root).
 */
export class LedgerVerification {
  constructor(
    private readonly db: Db,
    private readonly ledger: AuditLedger,
    private readonly file: string,
    private readonly witnesses: readonly WitnessClient[],
  ) {}

  /** @param given signed checkpoints the caller brings from elsewhere (`verify --checkpoint`). */
  async verify(
    options: VerifyOptions & { readonly given?: readonly string[] } = {},
  ): Promise<LedgerVerificationResult> {
    const chain = await this.ledger.syncKeys(this.db);
    const outside = await collectOutsideCheckpoints(chain, this.file, this.witnesses);
    const result = await this.ledger.verify(this.db, {
      ...options,
      checkpoints: [...(options.given ?? []), ...outside.checkpoints],
    });
    return { ...result, outside: outside.sources, witnessed: outside.witnessed };
  }
}

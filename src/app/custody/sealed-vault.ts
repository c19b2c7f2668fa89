import { combine } from 'shamir-secret-sharing';
import { commitmentsEqual, keyShareCommitment, masterKeyCommitment } from '../../crypto/key-commitment.js';
import { AppError, shareRefused } from '../errors.js';
import type { SplitCustody } from './custody-record.js';
import { parseShare } from './share-text.js';

/** One unseal call, kept in memory while sealed and written to the ledger once unsealed. */
export interface UnsealAttempt {
  readonly at: number;
  readonly outcome: 'success' | 'failure';
  /** The index the share claimed, or null when it was not a share at all. */
  readonly share: number | null;
  readonly reason: 'accepted' | 'repeated' | 'malformed' | 'other_split' | 'mismatch' | 'combined_mismatch';
  /** Who sent it (the client address for the HTTP route, "cli" at the command line). */
  readonly source: string;
}

export interface SealStatus {
  readonly sealed: boolean;
  readonly threshold: number;
  readonly accepted: number;
}

/** Attempts remembered while sealed; beyond this only a count is kept (a flood must not fill memory). */
const MAX_ATTEMPTS_KEPT = 1000;

/**
 * A process whose master key is split between officers, before the threshold of shares has
 * arrived. Shares are checked one by one against their commitments (so a wrong or corrupted one
 * is refused and named, never mixed into a wrong key), held in memory only (a restart or
 * `kill -9` forgets them: the process comes back sealed), and combined once there are enough;
 * the combined key is checked against the key commitment before `open` is called with it.
 */
export class SealedVault<T> {
  private readonly accepted = new Map<number, Uint8Array>();
  private readonly attempts: UnsealAttempt[] = [];
  private dropped = 0;
  private opened: T | undefined;
  /** Submissions run one at a time: two last shares arriving together must not open twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly custody: SplitCustody,
    /** Builds the running application from the reconstructed key; gets every attempt so far to ledger. */
    private readonly open: (key: Buffer, attempts: readonly UnsealAttempt[], dropped: number) => Promise<T>,
    private readonly clock: () => number = Date.now,
  ) {}

  status(): SealStatus {
    return {
      sealed: this.opened === undefined,
      threshold: this.custody.threshold,
      accepted: this.opened === undefined ? this.accepted.size : this.custody.threshold,
    };
  }

  /** The opened application, once unsealed. */
  get result(): T | undefined {
    return this.opened;
  }

  /**
   * Takes one share's text.
   * @throws AppError not_sealed once unsealed; invalid_input for text that is not a share;
   *   share_refused (naming the share) for one that does not match its commitment.
   */
  submit(text: string, source: string): Promise<SealStatus> {
    const next = this.queue.then(() => this.take(text, source));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async take(text: string, source: string): Promise<SealStatus> {
    if (this.opened !== undefined) throw new AppError('not_sealed');
    const { custody } = this;
    let share;
    try {
      share = parseShare(text);
    } catch (err) {
      this.note({ outcome: 'failure', share: null, reason: 'malformed', source });
      throw err;
    }
    const { index } = share;
    if (share.setId !== custody.setId) {
      this.note({ outcome: 'failure', share: index, reason: 'other_split', source });
      throw shareRefused(
        `Share ${index} is from another split of the master key: it does not unseal this server.`,
      );
    }
    const expected = custody.shareCommitments.get(index);
    if (
      expected === undefined ||
      !commitmentsEqual(expected, keyShareCommitment(custody.setId, share.bytes))
    ) {
      this.note({ outcome: 'failure', share: index, reason: 'mismatch', source });
      throw shareRefused(`Share ${index} does not match its commitment: it is wrong or corrupted.`);
    }
    const repeated = this.accepted.has(index);
    this.accepted.set(index, share.bytes);
    this.note({ outcome: 'success', share: index, reason: repeated ? 'repeated' : 'accepted', source });
    if (this.accepted.size < custody.threshold) return this.status();

    const key = Buffer.from(await combine([...this.accepted.values()]));
    for (const bytes of this.accepted.values()) bytes.fill(0);
    this.accepted.clear();
    // Each share matched its own commitment, so this holds unless the record itself is damaged;
    // checked anyway, because a wrong master key must never reach the keyring.
    if (!commitmentsEqual(custody.keyCommitment, masterKeyCommitment(key, custody.setId))) {
      key.fill(0);
      this.note({ outcome: 'failure', share: null, reason: 'combined_mismatch', source });
      throw shareRefused('The shares combine into a key that does not match the stored commitment.');
    }
    this.opened = await this.open(key, [...this.attempts], this.dropped);
    this.attempts.length = 0;
    return this.status();
  }

  private note(a: Omit<UnsealAttempt, 'at'>): void {
    if (this.attempts.length >= MAX_ATTEMPTS_KEPT) this.dropped++;
    else this.attempts.push({ ...a, at: this.clock() });
  }
}

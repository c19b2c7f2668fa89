/**
 * The log's side of C2SP tlog-witness: submit each new checkpoint to a configured witness with a
 * consistency proof from the size the witness last cosigned, and check the cosignature it answers
 * with. Also reads a witness's latest cosigned checkpoint back (our monitoring read), which is
 * what `audit verify` holds the database to.
 *
 * After a key handover, a witness that knows only the log's earlier key answers 403 to a
 * checkpoint by the new key: the client then gives it every handover statement (`add-handover`,
 * our extension; see cosigning-witness.ts) and submits once more.
 */
import { parseSignedCheckpoint } from '../../crypto/checkpoint.js';
import { parseCosignerKey, verifyCosignature, type CosignerKey } from '../../crypto/cosignature.js';
import { IntegrityError } from '../../crypto/errors.js';
import { formatAddCheckpoint, SIZE_CONTENT_TYPE } from './witness-protocol.js';

/** A configured witness: where it listens and the key its cosignatures must verify with. */
export interface WitnessConfig {
  /** The witness's URL prefix (add-checkpoint is `<url>/add-checkpoint`). */
  readonly url: string;
  /** Its verifier key, signature type 0x04 (cosignature/v1). */
  readonly key: string;
}

/** What a submission came to. */
export type Submission =
  | { readonly kind: 'cosigned'; readonly note: string; readonly timestamp: number }
  /** The witness has cosigned a LARGER tree, or another tree of this size: the log was rolled back or forked. */
  | { readonly kind: 'conflict'; readonly witnessSize: number; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

/** Proves the tree of `from` entries is a prefix of the tree of `to` (base64 hashes). */
export type ConsistencyProver = (from: number, to: number) => Promise<readonly string[]>;

/** The log's key handover statements, oldest first (none when its key was never handed over). */
export type HandoverSource = () => Promise<readonly string[]>;

// Below the 10 s shutdown deadline: the last checkpoint at shutdown still reaches live witnesses.
const TIMEOUT_MS = 5_000;

export class WitnessClient {
  readonly key: CosignerKey;
  /** The size this witness last cosigned for us, as far as we know (0: ask it). */
  #knownSize = 0;

  constructor(
    readonly config: WitnessConfig,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly handovers: HandoverSource = async () => [],
  ) {
    this.key = parseCosignerKey(config.key);
  }

  get name(): string {
    return this.key.name;
  }

  /**
   * Submits a signed checkpoint. A 409 tells the size the witness holds: when it is smaller, the
   * submission is retried once from that size; when it is larger (or the same size with another
   * root), the log is behind what was witnessed and that is reported, never papered over. A 403
   * (no valid signature by a key it trusts) is answered once by giving the witness the log's key
   * handovers, when there are any, and submitting again.
   */
  async submit(note: string, prove: ConsistencyProver): Promise<Submission> {
    const size = parseSignedCheckpoint(note).checkpoint.treeSize;
    // At most one retry from the size a 409 names and one after giving the key handovers.
    let resized = false;
    let handedOver = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      const old = this.#knownSize <= size ? this.#knownSize : 0;
      const proof = old === 0 || old === size ? [] : await prove(old, size);
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.#base()}/add-checkpoint`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: formatAddCheckpoint(old, proof, note),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        return { kind: 'failed', message: `${this.name} could not be reached: ${(err as Error).message}` };
      }
      const answer = await res.text();
      if (res.status === 409 && (res.headers.get('content-type') ?? '').startsWith(SIZE_CONTENT_TYPE)) {
        const held = Number(answer.trim());
        if (!Number.isSafeInteger(held) || held < 0) {
          return { kind: 'failed', message: `${this.name} answered 409 without a size` };
        }
        if (held > size || (held === size && old === size)) {
          this.#knownSize = held;
          return {
            kind: 'conflict',
            witnessSize: held,
            message:
              held > size
                ? `${this.name} has cosigned ${held} entries but the log now has ${size}: the ledger was truncated or rolled back`
                : `${this.name} has cosigned another tree of ${held} entries: the ledger was forked`,
          };
        }
        this.#knownSize = held;
        if (resized) break;
        resized = true;
        continue;
      }
      if (res.status === 422) {
        return {
          kind: 'conflict',
          witnessSize: old,
          message: `${this.name} has cosigned a tree of ${old} entries that the log of ${size} does not extend: the ledger was rewritten or forked`,
        };
      }
      if (res.status === 403 && !handedOver) {
        handedOver = true;
        const pushed = await this.#pushHandovers();
        if (pushed === 'pushed') continue;
        if (pushed !== 'none') return pushed;
      }
      if (res.status !== 200) {
        return {
          kind: 'failed',
          message: `${this.name} refused the checkpoint (${res.status}): ${answer.trim()}`,
        };
      }
      const mine = answer.split('\n').filter((line) => line.startsWith(`\u2014 ${this.name} `));
      for (const line of mine) {
        const cosigned = `${note}${line}\n`;
        try {
          const { timestamp } = verifyCosignature(cosigned, this.key);
          this.#knownSize = size;
          return { kind: 'cosigned', note: cosigned, timestamp };
        } catch (err) {
          if (!(err instanceof IntegrityError)) throw err;
        }
      }
      return { kind: 'failed', message: `${this.name} answered without a valid cosignature by its key` };
    }
    return { kind: 'failed', message: `${this.name} kept answering 409` };
  }

  /**
   * Posts every handover statement to `add-handover`, oldest first.
   * @returns 'pushed' when all were accepted (or already held), 'none' when the log has none, or
   *   the failure: a 409 (the witness holds another statement, or cosigned past the handover's
   *   size) is a conflict, as a rolled-back log is.
   */
  async #pushHandovers(): Promise<'pushed' | 'none' | Submission> {
    const statements = await this.handovers();
    if (statements.length === 0) return 'none';
    for (const statement of statements) {
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.#base()}/add-handover`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: statement,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        return { kind: 'failed', message: `${this.name} could not be reached: ${(err as Error).message}` };
      }
      const answer = (await res.text()).trim();
      if (res.status === 409)
        return {
          kind: 'conflict',
          witnessSize: this.#knownSize,
          message: `${this.name} refused the ledger's key handover: ${answer}`,
        };
      if (res.status !== 200)
        return {
          kind: 'failed',
          message: `${this.name} refused the ledger's key handover (${res.status}): ${answer}`,
        };
    }
    return 'pushed';
  }

  /**
   * The latest checkpoint the witness cosigned for `origin`, with its cosignature; null when it
   * has none. @throws Error when it cannot be reached or answers something else.
   */
  async latest(origin: string): Promise<string | null> {
    const res = await this.fetchImpl(`${this.#base()}/latest?origin=${encodeURIComponent(origin)}`, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`${this.name} answered ${res.status}`);
    return res.text();
  }

  #base(): string {
    return this.config.url.replace(/\/+$/, '');
  }
}

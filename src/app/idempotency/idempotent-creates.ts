import { randomUUID } from 'node:crypto';
import {
  claimIdempotencyKey,
  ANSWER_TABLE,
  deleteIdempotencyKeysBefore,
  findIdempotencyKey,
  markIdempotencyKeyCommitted,
  releaseIdempotencyKey,
  saveIdempotentAnswer,
  takeOverIdempotencyKey,
} from '../../store/idempotency-repository.js';
import { withTransaction, type Db } from '../../store/database.js';
import type { EnvelopeContext } from '../../crypto/envelope-format.js';
import type { DataKeys } from '../data-keys.js';
import type { AccessScope } from '../access/index.js';
import { withCreateHook } from '../audit/create-hook.js';
import { AppError, invalidInput } from '../errors.js';

/** The answer a create gave, as sent (status, content type, body text). */
export interface IdempotentAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** One attempt holding a key: run the create with it, then `finish` with the answer. */
export interface IdempotentAttempt {
  readonly callerId: string;
  readonly key: string;
  readonly owner: string;
}

export type IdempotentStart =
  | { readonly kind: 'replay'; readonly answer: IdempotentAnswer }
  | { readonly kind: 'run'; readonly attempt: IdempotentAttempt };

export interface IdempotencyPolicy {
  /** A pending attempt older than this is taken to have died with its process (default 10 minutes). */
  readonly leaseMs: number;
  /** Keys are forgotten after this long (default 24 hours). */
  readonly keepMs: number;
}

/**
 * Where a stored answer is sealed: it holds what the create returned (a record's clinical text, a
 * patient's one-time recovery code), so it is encrypted at rest like the things themselves.
 */
const answerContext = (owner: string): EnvelopeContext => ({
  table: ANSWER_TABLE,
  rowId: owner,
  patientId: null,
  field: 'answer',
});

/** Visible ASCII, 1–255 characters (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotent creates (issue 17): a client may send an `Idempotency-Key` with a create; a retry
 * with the same key by the same caller gets the first answer instead of a second thing, through
 * any server (the keys are in the database).
 *
 * States of a key (per caller): `pending` while an attempt runs; `committed` — marked INSIDE the
 * transaction that makes the thing (the ledger fires the hook when it appends the create's entry),
 * so a key is committed exactly when the write is; `done` once the answer is stored. Decision:
 * the answer itself is stored right after the commit, not inside it, since it is only known once
 * the service returned (the HTTP layer serialises it); a server that dies in that one statement's
 * window leaves `committed`, answered 409 `idempotency_answer_lost` (the write happened; look it
 * up) — never a second write. A `pending` key whose attempt died (lease expired) is taken over by
 * the retry: its write never committed, and if the old attempt is in fact still alive its commit
 * fails (owner changed) and rolls back, so at most one attempt writes.
 */
export class IdempotentCreates {
  constructor(
    private readonly db: Db,
    private readonly dataKeys: DataKeys,
    private readonly clock: () => number,
    private readonly policy: IdempotencyPolicy,
  ) {}

  /**
   * Claims `key` for the caller, or says what happened to it before.
   * @throws AppError idempotency_key_invalid, idempotency_key_reused (another request),
   *   idempotency_in_flight (its first attempt still runs), idempotency_answer_lost.
   */
  async start(scope: AccessScope, key: string, fingerprint: string): Promise<IdempotentStart> {
    if (!KEY_PATTERN.test(key)) {
      throw invalidInput(
        'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
        'idempotency_key_invalid',
      );
    }
    const callerId = scope.actor.userId;
    const owner = randomUUID();
    const now = this.clock();
    for (let tries = 0; tries < 3; tries++) {
      const row = { caller_id: callerId, idem_key: key, fingerprint, state: 'pending', owner };
      if (
        await claimIdempotencyKey(this.db, {
          ...row,
          created_at: now,
          status: null,
          content_type: null,
          body_ct: null,
        })
      ) {
        return { kind: 'run', attempt: { callerId, key, owner } };
      }
      const found = await findIdempotencyKey(this.db, callerId, key);
      if (found === undefined) continue; // released in between: claim again
      if (found.fingerprint !== fingerprint) throw new AppError('idempotency_key_reused');
      if (found.state === 'done' && found.status !== null && found.body_ct !== null) {
        const body = await this.dataKeys.open(this.db, answerContext(found.owner), found.body_ct);
        return {
          kind: 'replay',
          answer: {
            status: found.status,
            contentType: found.content_type ?? 'application/json',
            body: body.toString('utf8'),
          },
        };
      }
      if (found.state === 'committed') throw new AppError('idempotency_answer_lost');
      if (now - found.created_at < this.policy.leaseMs) throw new AppError('idempotency_in_flight');
      if (await takeOverIdempotencyKey(this.db, callerId, key, found.owner, owner, now)) {
        return { kind: 'run', attempt: { callerId, key, owner } };
      }
    }
    throw new AppError('idempotency_in_flight');
  }

  /** Runs the create with the key armed: it is marked committed in the create's own transaction. */
  run<T>(attempt: IdempotentAttempt, create: () => Promise<T>): Promise<T> {
    return withCreateHook(
      {
        fired: false,
        run: async (tx) => {
          if (!(await markIdempotencyKeyCommitted(tx, attempt.callerId, attempt.key, attempt.owner))) {
            // Another attempt took the key over (this one outlived its lease): write nothing.
            throw new AppError('idempotency_in_flight');
          }
        },
      },
      create,
    );
  }

  /**
   * Ends an attempt: a committed create keeps its answer (whatever the status); an attempt that
   * wrote nothing (refused, failed before its commit) frees the key, so a retry runs again.
   */
  async finish(attempt: IdempotentAttempt, answer: IdempotentAnswer): Promise<void> {
    const found = await findIdempotencyKey(this.db, attempt.callerId, attempt.key);
    if (found === undefined || found.owner !== attempt.owner) return;
    if (found.state === 'committed') {
      await withTransaction(this.db, async (tx) => {
        const bodyCt = await this.dataKeys.seal(
          tx,
          answerContext(attempt.owner),
          Buffer.from(answer.body, 'utf8'),
        );
        await saveIdempotentAnswer(tx, attempt.callerId, attempt.key, attempt.owner, {
          status: answer.status,
          contentType: answer.contentType,
          bodyCt,
        });
      });
    } else {
      await releaseIdempotencyKey(this.db, attempt.callerId, attempt.key, attempt.owner);
    }
  }

  /** Forgets keys older than the policy keeps them; returns how many (periodic clean-up). */
  forgetOld(now = this.clock()): Promise<number> {
    return deleteIdempotencyKeysBefore(this.db, now - this.policy.keepMs);
  }
}

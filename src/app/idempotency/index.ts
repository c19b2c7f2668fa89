/** The idempotency context's public entry: idempotent creates (`Idempotency-Key`). */
export {
  IdempotentCreates,
  type IdempotencyPolicy,
  type IdempotentAnswer,
  type IdempotentAttempt,
  type IdempotentStart,
} from './idempotent-creates.js';
